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
