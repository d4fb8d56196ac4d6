"""Spanish articles of the demo sample (written for corpusforge; free to use)."""

ARTICLES = [
    (
        "noticias/huerta-urbana-vallecas",
        "Una huerta urbana transforma un solar abandonado de Vallecas",
        [
            "Lo que hace tres años era un solar lleno de escombros es hoy una huerta comunitaria donde cuarenta "
            "familias cultivan tomates, calabacines y pimientos. La iniciativa nació en la asociación de vecinos "
            "del barrio, que pidió al ayuntamiento la cesión temporal del terreno.",
            "Los voluntarios se reúnen cada sábado por la mañana para regar, quitar malas hierbas y repartir las "
            "tareas de la semana. Los más mayores enseñan a los niños a sembrar en semilleros y a reconocer las "
            "plagas más comunes sin recurrir a productos químicos.",
            "Según la coordinadora del proyecto, la huerta ha servido sobre todo para que los vecinos se conozcan. "
            "Muchos llevaban décadas viviendo en la misma calle sin saludarse, y ahora comparten herramientas, "
            "recetas y excedentes de la cosecha con el comedor social del distrito.",
        ],
    ),
    (
        "cultura/festival-cine-huesca",
        "El festival de cine de Huesca apuesta por el cortometraje rural",
        [
            "La nueva edición del festival de cine de Huesca dedicará una sección completa a cortometrajes rodados "
            "en pueblos de menos de mil habitantes. La organización ha recibido más de trescientas propuestas de "
            "toda España y de varios países de América Latina.",
            "El jurado, formado por directores, guionistas y una programadora de la filmoteca regional, "
            "seleccionará veinte obras que se proyectarán en la plaza mayor y en el antiguo casino. Las sesiones "
            "serán gratuitas y contarán con subtítulos para personas con discapacidad auditiva.",
            "Los responsables del certamen explican que el medio rural ofrece historias que rara vez llegan a las "
            "salas comerciales: la despoblación, el relevo generacional en el campo o la llegada de nuevos "
            "vecinos que teletrabajan desde casas de piedra rehabilitadas.",
        ],
    ),
    (
        "ciencia/sequia-embalses-andalucia",
        "Los embalses andaluces recuperan reservas tras las lluvias de primavera",
        [
            "Las intensas precipitaciones de marzo y abril han permitido que los embalses de la cuenca del "
            "Guadalquivir superen por primera vez en dos años el cuarenta por ciento de su capacidad. Los "
            "técnicos advierten, sin embargo, de que la situación sigue siendo delicada.",
            "La confederación hidrográfica mantiene las restricciones para el regadío, aunque las suaviza en "
            "algunas comunidades de regantes. Los agricultores reclaman más inversiones en modernización de "
            "canales, porque una parte importante del agua se pierde por filtraciones.",
            "Los expertos en climatología recuerdan que los episodios de sequía serán cada vez más frecuentes y "
            "piden planificar a largo plazo, con una gestión que combine el ahorro, la reutilización de aguas "
            "depuradas y la protección de los acuíferos.",
        ],
    ),
    (
        "deportes/maraton-valencia-record",
        "Récord de participación en el maratón popular de la ciudad",
        [
            "Más de treinta mil corredores tomaron la salida el domingo en una mañana fresca y sin viento, "
            "condiciones que muchos atletas aficionados aprovecharon para mejorar sus marcas personales. Los "
            "servicios sanitarios atendieron a un centenar de participantes, casi todos por calambres.",
            "El ganador cruzó la meta con un tiempo de dos horas y cinco minutos, mientras que en la categoría "
            "femenina la victoria fue para una atleta que debutaba en la distancia. Miles de personas animaron "
            "desde las aceras a lo largo de todo el recorrido.",
            "La organización destacó el trabajo de los dos mil voluntarios que repartieron agua, fruta y mantas "
            "térmicas, y anunció que la próxima edición incorporará más puntos de reciclaje para reducir los "
            "residuos plásticos que genera la prueba.",
        ],
    ),
    (
        "economia/comercio-proximidad",
        "El pequeño comercio resiste gracias a la venta por internet",
        [
            "Las tiendas de barrio que abrieron una tienda en línea durante los últimos años han mantenido sus "
            "ventas mejor que las que siguieron vendiendo solo en el mostrador, según un estudio de la cámara de "
            "comercio presentado esta semana.",
            "El informe señala que la mayoría de estos negocios no compite en precio con las grandes "
            "plataformas, sino en cercanía: entregan los pedidos en el mismo día, aconsejan por teléfono y "
            "aceptan devoluciones sin complicaciones.",
            "Los comerciantes consultados piden ayudas para formarse en marketing digital y una fiscalidad que "
            "tenga en cuenta su tamaño. También reclaman que las ordenanzas municipales faciliten la carga y "
            "descarga en calles peatonales.",
        ],
    ),
    (
        "salud/vacunacion-gripe-mayores",
        "Sanidad amplía la campaña de vacunación contra la gripe",
        [
            "Los centros de salud comenzarán la próxima semana a vacunar contra la gripe a las personas mayores "
            "de sesenta años, a las embarazadas y a los pacientes con enfermedades crónicas. Por primera vez, "
            "también podrán vacunarse los niños de entre seis meses y cinco años.",
            "Las autoridades sanitarias recomiendan pedir cita a través de la aplicación o por teléfono para "
            "evitar esperas. Las farmacias colaborarán informando a los usuarios y recordando las fechas a "
            "quienes reciben tratamientos de larga duración.",
            "Los médicos de familia insisten en que la vacuna no impide por completo el contagio, pero reduce "
            "mucho el riesgo de complicaciones graves y de ingresos hospitalarios durante los meses de invierno.",
        ],
    ),
    (
        "tecnologia/biblioteca-digital-municipal",
        "La biblioteca municipal presta libros electrónicos a domicilio",
        [
            "La red de bibliotecas públicas ha duplicado en un año el número de préstamos de libros "
            "electrónicos y audiolibros. Basta con el carné de lector para descargar hasta cinco títulos al mes "
            "en el teléfono, la tableta o el lector de tinta electrónica.",
            "Los bibliotecarios han organizado talleres para enseñar a los usuarios de más edad a utilizar la "
            "plataforma. Muchos de ellos han descubierto que pueden aumentar el tamaño de la letra, algo que les "
            "permite volver a leer novelas sin cansarse.",
            "El catálogo incluye obras en castellano, catalán, gallego y euskera, además de una colección de "
            "cómics y de libros de divulgación científica para jóvenes.",
        ],
    ),
    (
        "opinion/trenes-regionales",
        "Los trenes regionales merecen una segunda oportunidad",
        [
            "Durante décadas se cerraron líneas de ferrocarril convencional porque apenas tenían viajeros. Hoy, "
            "con el precio del combustible disparado y la necesidad de reducir emisiones, aquellas decisiones "
            "parecen precipitadas.",
            "Un tren regional bien gestionado, con horarios pensados para estudiantes y trabajadores, puede "
            "vertebrar una comarca entera. No hace falta alta velocidad: basta con frecuencias razonables, "
            "estaciones accesibles y billetes combinados con el autobús.",
            "Recuperar estas líneas exige inversión y paciencia, pero el coste de no hacerlo lo pagan los "
            "pueblos que se vacían y las carreteras cada vez más congestionadas.",
        ],
    ),
]
