"""Catalan (central standard) articles of the demo sample (written for corpusforge; free to use)."""

ARTICLES = [
    (
        "societat/horts-urbans-girona",
        "Els horts urbans de Girona tenen llista d'espera",
        [
            "L'Ajuntament de Girona ha adjudicat seixanta parcel·les noves als horts urbans del parc de la "
            "Devesa, però la llista d'espera continua superant les dues-centes sol·licituds. Molts veïns "
            "s'hi apunten per cultivar verdures i passar les tardes a l'aire lliure.",
            "Cada parcel·la té uns cinquanta metres quadrats, una aixeta i un petit magatzem compartit per a "
            "les eines. Els usuaris es comprometen a fer servir només tractaments ecològics i a mantenir els "
            "camins nets.",
            "Els responsables municipals estudien obrir un segon recinte al barri de Santa Eugènia. Diuen que "
            "els horts no només produeixen aliments, sinó que també creen lligams entre generacions.",
        ],
    ),
    (
        "cultura/festival-jazz-terrassa",
        "El festival de jazz de Terrassa omple els carrers de música",
        [
            "Durant deu dies, les places i els carrers del centre de Terrassa s'han convertit en escenaris "
            "improvisats. Més de cent concerts gratuïts han atret un públic nombrós, des de famílies amb "
            "cotxets fins a aficionats vinguts de tot el país.",
            "La programació ha combinat noms consagrats amb grups joves sortits de les escoles de música de la "
            "comarca. Els organitzadors destaquen que moltes actuacions s'han fet en comerços i bars del barri "
            "antic.",
            "L'edició d'enguany ha tingut un pressupost més ajustat, però la resposta del públic ha estat la "
            "millor dels darrers anys. La direcció ja prepara un cicle d'hivern als centres cívics.",
        ],
    ),
    (
        "medi-ambient/delta-ebre-sorra",
        "Els pagesos del delta de l'Ebre reclamen aportacions de sorra",
        [
            "Els temporals de l'hivern han tornat a fer retrocedir la línia de costa del delta de l'Ebre. En "
            "alguns punts, el mar ha avançat més de trenta metres i ha salinitzat camps d'arròs que fins ara "
            "eren productius.",
            "Les cooperatives arrosseres demanen que les administracions facin aportacions de sorra de manera "
            "urgent i que es recuperin els sediments retinguts als embassaments del riu. Sense aquests "
            "sediments, asseguren, el delta continuarà enfonsant-se.",
            "Els científics que estudien la zona coincideixen que cal una solució a llarg termini i que la "
            "pujada del nivell del mar farà cada vegada més difícil protegir les terres baixes.",
        ],
    ),
    (
        "esports/castellers-diada",
        "Les colles castelleres tornen a alçar castells de nou",
        [
            "La diada de Sant Fèlix va oferir una de les jornades castelleres més brillants de la temporada. "
            "Tres colles van descarregar castells de nou pisos davant d'una plaça plena de gom a gom.",
            "Els caps de colla van agrair l'esforç dels assajos d'estiu, quan els castellers van treballar la "
            "pinya i els pisos alts amb una constància admirable. La canalla, com sempre, va rebre l'ovació "
            "més forta.",
            "Els castells van ser declarats patrimoni immaterial fa anys, i avui continuen sent una escola de "
            "cooperació on persones de totes les edats i orígens aprenen a confiar les unes en les altres.",
        ],
    ),
    (
        "economia/llibreries-independents",
        "Les llibreries independents guanyen lectors",
        [
            "Malgrat la competència de les grans plataformes, les llibreries independents de Barcelona han "
            "augmentat les vendes per tercer any consecutiu. El gremi atribueix aquest creixement a la "
            "recomanació personal i a les activitats que organitzen.",
            "Presentacions de llibres, clubs de lectura i tallers infantils omplen les agendes d'aquests "
            "establiments, que s'han convertit en espais de trobada del barri.",
            "Els llibreters reclamen, però, lloguers assequibles, perquè molts locals històrics han hagut de "
            "tancar per l'augment dels preus al centre de la ciutat.",
        ],
    ),
    (
        "salut/son-adolescents",
        "Els adolescents dormen menys hores del que necessiten",
        [
            "Un estudi fet en instituts de Lleida i Tarragona conclou que la majoria d'adolescents dorm menys "
            "de set hores els dies lectius. Els investigadors relacionen aquesta falta de son amb l'ús de "
            "pantalles a la nit.",
            "Els especialistes recomanen apagar els mòbils una hora abans d'anar a dormir, mantenir horaris "
            "regulars i fer exercici durant el dia. També proposen que les classes comencin una mica més tard.",
            "Les famílies que han participat en el projecte diuen que petits canvis, com deixar el telèfon fora "
            "de l'habitació, han millorat el descans i el rendiment escolar dels fills.",
        ],
    ),
    (
        "tecnologia/xarxa-fibra-pirineu",
        "La fibra òptica arriba als pobles més petits del Pirineu",
        [
            "Una vintena de nuclis del Pallars i de l'Alt Urgell ja disposen de connexió de fibra òptica. "
            "L'obra, finançada amb fons europeus, ha permès que persones que treballen a distància s'hi "
            "instal·lin de manera permanent.",
            "Els alcaldes de la zona expliquen que una bona connexió és tan important com una carretera o un "
            "consultori mèdic per evitar el despoblament.",
            "Les escoles rurals també n'han sortit beneficiades: ara poden fer classes compartides amb altres "
            "centres i accedir a recursos digitals que abans eren impensables.",
        ],
    ),
    (
        "opinio/biblioteques-refugi",
        "Les biblioteques, refugis climàtics de barri",
        [
            "Quan les onades de calor castiguen les ciutats, les biblioteques públiques esdevenen refugis per a "
            "la gent gran i per a les famílies que no tenen aire condicionat a casa.",
            "Aquest paper, que no figurava en cap pla fa deu anys, obliga a repensar els horaris d'obertura i "
            "els recursos dels equipaments culturals durant l'estiu.",
            "Convé que les administracions reconeguin aquesta funció i que hi destinin personal i pressupost, "
            "perquè la cultura també és una forma de cura.",
        ],
    ),
]
