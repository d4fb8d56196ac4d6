"""Hand-written clean prose and junk for the quality tests (written for corpusforge)."""

from __future__ import annotations

CLEAN: dict[str, str] = {
    "es": (
        "El ayuntamiento de la ciudad aprobó ayer el nuevo plan de movilidad, que entrará en vigor el próximo mes "
        "de septiembre. Según la concejala de urbanismo, el objetivo es reducir el tráfico en el centro histórico y "
        "ampliar las zonas peatonales alrededor de los colegios.\n\n"
        "Los vecinos, que habían pedido más carriles para bicicletas, valoran la medida de forma positiva, aunque "
        "algunos comerciantes temen que las obras afecten a sus ventas durante el verano. El plan también prevé "
        "nuevas líneas de autobús que conectarán los barrios del norte con el hospital y con la estación de tren.\n\n"
        "La oposición ha criticado que el proyecto no incluya un estudio sobre el impacto en el aparcamiento y ha "
        "anunciado que presentará varias enmiendas en el próximo pleno municipal."
    ),
    "ca": (
        "L'ajuntament de la ciutat va aprovar ahir el nou pla de mobilitat, que entrarà en vigor el mes de setembre. "
        "Segons la regidora d'urbanisme, l'objectiu és reduir el trànsit al centre històric i ampliar les zones "
        "de vianants al voltant de les escoles.\n\n"
        "Els veïns, que havien demanat més carrils per a bicicletes, valoren la mesura de manera positiva, tot i que "
        "alguns comerciants temen que les obres afectin les seves vendes durant l'estiu. El pla també preveu noves "
        "línies d'autobús que connectaran els barris del nord amb l'hospital i amb l'estació de tren.\n\n"
        "L'oposició ha criticat que el projecte no inclogui cap estudi sobre l'impacte en l'aparcament i ha anunciat "
        "que presentarà diverses esmenes al pròxim ple municipal."
    ),
    "ca-valencia": (
        "L'ajuntament de la ciutat va aprovar ahir el nou pla de mobilitat, que entrarà en vigor el mes de setembre. "
        "Segons la regidora d'urbanisme, l'objectiu és reduir el trànsit en el centre històric i ampliar les zones "
        "de vianants al voltant de les escoles.\n\n"
        "Els veïns, que havien demanat més carrils per a bicicletes, valoren esta mesura de manera positiva, encara "
        "que alguns comerciants tenen por que les obres afecten les seues vendes durant l'estiu. El pla també preveu "
        "noves línies d'autobús que connectaran els barris del nord amb l'hospital i amb l'estació de tren.\n\n"
        "L'oposició ha criticat que el projecte no incloga cap estudi sobre l'impacte en l'aparcament i ha anunciat "
        "que presentarà diverses esmenes en el pròxim ple municipal, que se celebrarà hui."
    ),
    "gl": (
        "O concello da cidade aprobou onte o novo plan de mobilidade, que entrará en vigor no mes de setembro. "
        "Segundo a concelleira de urbanismo, o obxectivo é reducir o tráfico no centro histórico e ampliar as zonas "
        "peonís arredor dos colexios.\n\n"
        "Os veciños, que pedían máis carrís para bicicletas, valoran a medida de xeito positivo, aínda que algúns "
        "comerciantes temen que as obras afecten ás súas vendas durante o verán. O plan tamén prevé novas liñas de "
        "autobús que conectarán os barrios do norte co hospital e coa estación de tren.\n\n"
        "A oposición criticou que o proxecto non inclúa un estudo sobre o impacto no aparcamento e anunciou que "
        "presentará varias emendas no próximo pleno municipal."
    ),
    "eu": (
        "Hiriko udalak mugikortasun plan berria onartu zuen atzo, eta irailean sartuko da indarrean. Hirigintza "
        "zinegotziaren arabera, helburua da alde zaharreko trafikoa gutxitzea eta ikastetxeen inguruko oinezkoentzako "
        "guneak handitzea.\n\n"
        "Bizilagunek bidegorri gehiago eskatu zituzten, eta neurria positibotzat jotzen dute, nahiz eta dendari "
        "batzuek uste duten obrek udan salmentetan eragina izango dutela. Planak autobus lerro berriak ere jasotzen "
        "ditu, iparraldeko auzoak ospitalearekin eta tren geltokiarekin lotuko dituztenak.\n\n"
        "Oposizioak kritikatu du proiektuak ez duela aparkalekuetan izango duen eraginari buruzko azterketarik "
        "jasotzen, eta hurrengo udal osoko bilkuran hainbat zuzenketa aurkeztuko dituela iragarri du."
    ),
}

JUNK: dict[str, str] = {
    "keyword_list": ", ".join(f"zapatos baratos {c}" for c in ["Madrid", "Sevilla", "Bilbao", "Vigo"] * 15),
    "menu": "\n".join(["Inicio", "Quiénes somos", "Servicios", "Blog", "Contacto", "Aviso legal", "Mi cuenta"] * 8),
    "repeated_lines": "\n".join(["Compra ahora los mejores precios del mercado en nuestra tienda online."] * 30),
    "lorem_ipsum": CLEAN["es"] + "\n\nLorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "word_salad": " ".join(
        [
            "ciudad",
            "bicicleta",
            "estación",
            "enmienda",
            "verano",
            "hospital",
            "comerciante",
            "autobús",
            "barrio",
            "colegio",
        ]
        * 12
    ),
}
