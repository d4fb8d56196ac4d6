"""Hand-written sentences for the language-id tests (written for this project)."""

SENTENCES: dict[str, list[str]] = {
    "es": [
        "El ayuntamiento aprobó ayer el presupuesto para el próximo año con los votos de la mayoría.",
        "Mañana por la mañana iremos al mercado a comprar fruta y verdura fresca.",
        "La biblioteca municipal amplía su horario durante la época de exámenes.",
    ],
    "ca": [
        "L'ajuntament va aprovar ahir el pressupost per a l'any vinent amb els vots de la majoria.",
        "Aquest matí hem anat al mercat a comprar fruita i verdura fresca per a tota la setmana.",
        "La biblioteca municipal amplia l'horari durant l'època d'exàmens.",
    ],
    "eu": [
        "Udalak atzo onartu zuen datorren urterako aurrekontua gehiengoaren botoekin.",
        "Bihar goizean azokara joango gara fruta eta barazki freskoak erostera.",
        "Udal liburutegiak ordutegia luzatzen du azterketa garaian.",
    ],
    "gl": [
        "O concello aprobou onte o orzamento para o próximo ano cos votos da maioría.",
        "Mañá pola mañá iremos ao mercado mercar froita e verdura fresca.",
        "A biblioteca municipal amplía o seu horario durante a época de exames.",
    ],
    "pt": [
        "A câmara municipal aprovou ontem o orçamento para o próximo ano com os votos da maioria.",
        "Amanhã de manhã vamos ao mercado comprar fruta e legumes frescos.",
    ],
    "fr": [
        "La mairie a approuvé hier le budget de l'année prochaine avec les voix de la majorité.",
        "Demain matin, nous irons au marché acheter des fruits et des légumes frais.",
    ],
    "it": [
        "Il comune ha approvato ieri il bilancio per il prossimo anno con i voti della maggioranza.",
        "Domani mattina andremo al mercato a comprare frutta e verdura fresca.",
    ],
    "en": [
        "The city council approved next year's budget yesterday with the votes of the majority.",
        "Tomorrow morning we will go to the market to buy fresh fruit and vegetables.",
    ],
}

# Five-sentence documents: the same content in the Valencian standard and in central Catalan.
VALENCIAN_DOC = (
    "Hui els xiquets han eixit prompte de l'escola perquè volien vore la cavalcada. "
    "La meua germana diu que este any la festa serà més xicoteta que l'anterior. "
    "L'ajuntament oferix activitats gratuïtes i permet que cada família trie el seu horari. "
    "Cal que la ciutadania tinga en compte que l'accés es tancarà a les huit. "
    "Si voleu participar, vos podeu inscriure ací fins a divendres."
)
CENTRAL_DOC = (
    "Avui els nens han sortit aviat de l'escola perquè volien veure la cavalcada. "
    "La meva germana diu que aquest any la festa serà més petita que l'anterior. "
    "L'ajuntament ofereix activitats gratuïtes i permet que cada família triï el seu horari. "
    "Cal que la ciutadania tingui en compte que l'accés es tancarà a les vuit. "
    "Si voleu participar, us podeu inscriure aquí fins divendres."
)
# Central-Catalan administrative text must not be called Valencian for its register.
CENTRAL_LEGAL_DOC = (
    "El Departament d'Educació ha resolt convocar el procediment per a la provisió de llocs de treball. "
    "Les persones interessades han de presentar la sol·licitud en el termini de deu dies hàbils. "
    "Aquesta resolució exhaureix la via administrativa i s'hi pot interposar recurs potestatiu de reposició. "
    "La documentació s'ha de presentar per mitjans electrònics, d'acord amb la normativa vigent. "
    "Es publica aquesta resolució perquè les persones interessades en tinguin coneixement."
)

BASQUE_SPANISH_PAGE = "\n".join(
    [
        "Udalak kultur programazio berria aurkeztu du datorren hilabeterako, eta sarrera guztiak doakoak izango dira.",
        "Ekitaldiak udaletxeko areto nagusian egingo dira arratsaldeko zazpietan.",
        "El ayuntamiento ha presentado la nueva programación cultural para el próximo mes, con entrada gratuita.",
        "Los actos se celebrarán en el salón principal del ayuntamiento a las siete de la tarde.",
    ]
)

# Languages outside the model's set, written for these tests: two sentences each (Latin script).
OTHER_LANGUAGES: dict[str, list[str]] = {
    "de": [
        "Die Stadtverwaltung hat gestern den Haushalt für das kommende Jahr mit den Stimmen der Mehrheit beschlossen.",
        "Morgen früh gehen wir auf den Markt, um frisches Obst und Gemüse für die ganze Woche zu kaufen.",
    ],
    "nl": [
        "De gemeenteraad heeft gisteren de begroting voor volgend jaar goedgekeurd met de stemmen van de meerderheid.",
        "Morgenochtend gaan we naar de markt om vers fruit en groenten voor de hele week te kopen.",
    ],
    "pl": [
        "Rada miasta zatwierdziła wczoraj budżet na przyszły rok głosami większości radnych.",
        "Jutro rano pójdziemy na targ, żeby kupić świeże owoce i warzywa na cały tydzień.",
    ],
    "cs": [
        "Městská rada včera schválila rozpočet na příští rok hlasy většiny zastupitelů.",
        "Zítra ráno půjdeme na trh koupit čerstvé ovoce a zeleninu na celý týden.",
    ],
    "ro": [
        "Consiliul local a aprobat ieri bugetul pentru anul viitor cu voturile majorității consilierilor.",
        "Mâine dimineață mergem la piață să cumpărăm fructe și legume proaspete pentru toată săptămâna.",
    ],
    "sv": [
        "Kommunfullmäktige godkände i går budgeten för nästa år med majoritetens röster.",
        "I morgon bitti går vi till torget för att köpa färsk frukt och grönsaker för hela veckan.",
    ],
    "tr": [
        "Belediye meclisi dün gelecek yılın bütçesini çoğunluğun oylarıyla onayladı.",
        "Yarın sabah bütün hafta için taze meyve ve sebze almak üzere pazara gideceğiz.",
    ],
    "hu": [
        "A városi közgyűlés tegnap a többség szavazataival elfogadta a jövő évi költségvetést.",
        "Holnap reggel kimegyünk a piacra, hogy friss gyümölcsöt és zöldséget vegyünk az egész hétre.",
    ],
    "fi": [
        "Kaupunginvaltuusto hyväksyi eilen ensi vuoden talousarvion enemmistön äänin.",
        "Huomenna aamulla menemme torille ostamaan tuoreita hedelmiä ja vihanneksia koko viikoksi.",
    ],
    "da": [
        "Byrådet vedtog i går budgettet for næste år med flertallets stemmer.",
        "I morgen tidlig tager vi på torvet for at købe frisk frugt og grøntsager til hele ugen.",
    ],
    "hr": [
        "Gradsko vijeće jučer je većinom glasova usvojilo proračun za sljedeću godinu.",
        "Sutra ujutro idemo na tržnicu kupiti svježe voće i povrće za cijeli tjedan.",
    ],
    "id": [
        "Dewan kota kemarin menyetujui anggaran untuk tahun depan dengan suara mayoritas anggota.",
        "Besok pagi kami akan pergi ke pasar untuk membeli buah dan sayuran segar untuk seminggu.",
    ],
}

# Other scripts: never one of the model's labels, whatever the letters look like to fastText.
OTHER_SCRIPTS: dict[str, str] = {
    "ru": "Городской совет вчера утвердил бюджет на следующий год большинством голосов.",
    "uk": "Міська рада вчора затвердила бюджет на наступний рік більшістю голосів.",
    "el": "Το δημοτικό συμβούλιο ενέκρινε χθες τον προϋπολογισμό του επόμενου έτους.",
    "ar": "وافق مجلس المدينة أمس على ميزانية العام المقبل بأغلبية الأصوات.",
    "he": "מועצת העיר אישרה אתמול את התקציב לשנה הבאה ברוב קולות.",
    "zh": "市议会昨天以多数票通过了明年的预算。",
    "ja": "市議会は昨日、賛成多数で来年度の予算を可決した。",
    "ko": "시의회는 어제 다수결로 내년 예산을 승인했다.",
    "hi": "नगर परिषद ने कल बहुमत से अगले वर्ष का बजट पारित किया।",
    "th": "สภาเมืองอนุมัติงบประมาณปีหน้าเมื่อวานนี้ด้วยคะแนนเสียงข้างมาก",
}

# A Chinese page whose extracted text is one copyright line (Latin letters outnumber the Han).
CHINESE_COPYRIGHT_LINE = "版权所有 © 2024 北京星辰科技有限公司 Copyright All Rights Reserved"

# Pages that mix a co-official language with Spanish paragraph by paragraph.
CATALAN_SPANISH_PAGE = "\n".join(
    [
        "L'ajuntament ha presentat la nova programació cultural per al mes que ve, i totes les entrades seran gratuïtes.",
        "Els actes es faran a la sala principal de l'ajuntament a les set de la tarda, i caldrà reservar plaça.",
        "El ayuntamiento ha presentado la nueva programación cultural para el próximo mes, con entrada gratuita.",
        "Los actos se celebrarán en el salón principal del ayuntamiento a las siete de la tarde, con reserva previa.",
    ]
)
# A Spanish page with one Catalan passage: the passage must not be lost as "Spanish".
SPANISH_PAGE_WITH_CATALAN_PASSAGE = "\n".join(
    [
        "La asociación de vecinos ha organizado una jornada de puertas abiertas en el antiguo mercado del barrio.",
        "Durante toda la mañana habrá talleres para niños, una exposición de fotografías y un concierto de la banda.",
        "Los organizadores recuerdan que la actividad es gratuita y que no hace falta inscribirse con antelación.",
        "Al final del acto se leerá un poema del autor local en la lengua en que lo escribió:",
        "Quan el sol es pon darrere les muntanyes, el poble s'omple de veus que canten les cançons d'abans.",
        "Les places i els carrers recorden els noms de tots aquells que hi van viure i treballar tota la vida.",
        "I quan arriba la nit, les finestres s'encenen una a una com si el poble no volgués dormir mai més.",
    ]
)
