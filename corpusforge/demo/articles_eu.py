"""Basque articles of the demo sample (written for corpusforge; free to use)."""

ARTICLES = [
    (
        "gizartea/baratze-komunitarioak",
        "Baratze komunitarioak auzoak josten ari dira Bilbon",
        [
            "Bilboko hainbat auzotan baratze komunitarioak zabaldu dituzte azken urteotan, eta gero eta jende "
            "gehiago animatzen da barazkiak landatzera. Otxarkoagan, adibidez, berrogei familiak partekatzen "
            "dute lur sail bat.",
            "Boluntarioak larunbat goizetan elkartzen dira ureztatzeko, belar txarrak kentzeko eta lanak "
            "banatzeko. Adinekoek haurrei erakusten diete haziak nola erein eta izurriak produktu kimikorik "
            "gabe nola saihestu.",
            "Proiektuaren arduradunen arabera, baratzeak auzokideak elkar ezagutzeko balio izan du batez ere. "
            "Uzta soberakina auzoko jantoki sozialari ematen diote.",
        ],
    ),
    (
        "kultura/bertsolari-txapelketa",
        "Bertsolari txapelketak jendetza bildu du Donostian",
        [
            "Bertsolari txapelketako finalaurrekoak jendez gainezka bete du Donostiako antzokia. Zortzi "
            "bertsolarik gai zailei erantzun behar izan diete, eta publikoak txalo zaparrada luzeekin saritu "
            "ditu bertso onenak.",
            "Epaimahaiak nabarmendu duenez, gazteen maila asko igo da azken urteotan. Bertso eskoletan "
            "ikasitako teknika eta umorea uztartzen dituzte, eta gaurko gaiak ausardiaz jorratzen dituzte.",
            "Antolatzaileek azaldu dutenez, sarrera guztiak egun bakar batean saldu ziren, eta saioa zuzenean "
            "eman zuten irratian eta interneten milaka entzuleren aurrean.",
        ],
    ),
    (
        "ingurumena/urdaibai-hegaztiak",
        "Urdaibaiko hegazti kopurua handitu egin da aurten",
        [
            "Urdaibaiko biosfera erreserban egindako azken zenbaketak erakutsi duenez, negua igarotzera "
            "datozen hegaztien kopurua nabarmen handitu da. Ornitologoek hogei espezie baino gehiago "
            "erregistratu dituzte padurako behatokietan.",
            "Adituen ustez, hezeguneak berreskuratzeko egindako lanak ari dira fruituak ematen. Duela urte "
            "batzuk lehortuta zeuden eremuek ura dute berriro, eta hegaztiek elikagai ugari aurkitzen dute.",
            "Hala ere, ohartarazi dute giza presioa handia dela udan, eta bisitariei eskatu diete bideetatik "
            "ez ateratzeko eta txakurrak lotuta eramateko.",
        ],
    ),
    (
        "kirolak/traineruak-kontxa",
        "Traineruek ikusmina piztu dute Kontxako badian",
        [
            "Milaka lagun bildu ziren igandean Kontxako badian, estropada ikusteko. Itsasoa lasai zegoen, eta "
            "traineruek denbora onak egin zituzten lehen txandan.",
            "Arraunlariek hilabeteak daramatzate entrenatzen, goizean goiz eta arratsaldean, lanarekin eta "
            "ikasketekin uztartuz. Herri txikietako taldeentzat estropada hau urteko erronka handiena da.",
            "Emakumeen estropadak ere ikusle asko erakarri zituen, eta antolatzaileek iragarri dute datorren "
            "urtean sari berdinak izango dituztela gizonezkoen eta emakumezkoen taldeek.",
        ],
    ),
    (
        "ekonomia/kooperatibak-gazteak",
        "Kooperatibak gazteen artean erakargarri bihurtu dira berriro",
        [
            "Gipuzkoako kooperatibetan lanean hasi diren gazteen kopurua hazi egin da azken bi urteetan. "
            "Lan baldintza egonkorrak eta erabakietan parte hartzeko aukera dira arrazoi nagusiak.",
            "Arrasateko lantegi batean lanean hasi berri den ingeniari gazte batek azaldu duenez, bere "
            "iritzia kontuan hartzen dutela sentitzen du, eta horrek lanera motibatuta joateko laguntzen dio.",
            "Kooperatiben elkarteak prestakuntza programa berri bat jarri du martxan, enpresa txikiei "
            "digitalizazioan laguntzeko eta ezagutza belaunaldien artean transmititzeko.",
        ],
    ),
    (
        "osasuna/lo-ohiturak",
        "Nerabeek behar baino ordu gutxiago egiten dute lo",
        [
            "Gasteizko hainbat institututan egindako ikerketa baten arabera, nerabe gehienek zazpi ordu baino "
            "gutxiago egiten dute lo eskola egunetan. Ikertzaileek loaren gabezia gauez pantailak erabiltzearekin "
            "lotzen dute.",
            "Adituek gomendatzen dute oheratu baino ordubete lehenago mugikorrak itzaltzea, ordutegi "
            "erregularrak mantentzea eta egunean zehar ariketa fisikoa egitea.",
            "Proiektuan parte hartu duten familiek diote aldaketa txikiek, telefonoa logelatik kanpo uzteak "
            "adibidez, seme-alaben atsedena eta eskola errendimendua hobetu dituztela.",
        ],
    ),
    (
        "hezkuntza/euskara-helduak",
        "Helduen euskaltegiek ikasle kopuru errekorra dute",
        [
            "Euskaltegietan matrikulatutako helduen kopurua inoiz baino handiagoa da aurten. Ikasle askok "
            "lanerako behar dute euskara, baina beste askok seme-alabekin euskaraz hitz egin nahi dute.",
            "Irakasleek azaldu dutenez, eskolak gero eta malguagoak dira: goizez, arratsaldez, online edo "
            "barnetegietan ikas daiteke, bakoitzaren beharren arabera.",
            "Ikasle batek kontatu digunez, hasieran lotsa handia ematen zion hitz egiteak, baina orain "
            "herriko dendetan eta tabernetan euskaraz egiten du lasai asko.",
        ],
    ),
    (
        "iritzia/herri-txikiak",
        "Herri txikiek etorkizuna dute, baldin eta zerbitzuak badituzte",
        [
            "Azken hamarkadetan herri txiki askok biztanleak galdu dituzte, eta eskolak, dendak eta osasun "
            "zentroak itxi dira. Baina egoera hori ez da saihetsezina.",
            "Interneterako konexio ona, garraio publiko egokia eta etxebizitza eskuragarria izanez gero, "
            "familia gazteak prest daude landa eremuan bizitzeko, eta batzuk dagoeneko itzultzen ari dira.",
            "Erakundeek ausardiaz jokatu behar dute, herri bakoitzaren beharrak entzunez eta tokiko ekimenak babestuz.",
        ],
    ),
]
