"""Galician articles of the demo sample (written for corpusforge; free to use)."""

ARTICLES = [
    (
        "sociedade/hortas-urbanas-vigo",
        "As hortas urbanas de Vigo enchen de vida os barrios",
        [
            "O Concello de Vigo adxudicou cincuenta parcelas novas nas hortas urbanas de Navia, pero a lista de "
            "espera segue a medrar. Moitos veciños apúntanse para cultivar verduras e pasar as tardes ao aire "
            "libre.",
            "Cada parcela ten uns corenta metros cadrados, unha billa e un pequeno almacén compartido para as "
            "ferramentas. As persoas usuarias comprométense a empregar só tratamentos ecolóxicos.",
            "Os responsables municipais estudan abrir un segundo recinto en Teis. Din que as hortas non só "
            "producen alimentos, senón que tamén crean lazos entre xeracións.",
        ],
    ),
    (
        "cultura/festival-ortigueira",
        "O festival de Ortigueira bate récords de público",
        [
            "Máis de cen mil persoas pasaron este fin de semana polo festival do mundo celta de Ortigueira. A "
            "vila mariñeira encheuse de música, de tendas de campaña e de visitantes chegados de toda Europa.",
            "Os concertos combinaron bandas de gaitas galegas con grupos de Bretaña, Escocia e Irlanda. A "
            "organización destacou a boa convivencia e o traballo das persoas voluntarias.",
            "Os hostaleiros da zona aseguran que foi o mellor verán da última década, aínda que piden máis "
            "medios de limpeza e de transporte público durante os días do festival.",
        ],
    ),
    (
        "medio-ambiente/rias-marisqueo",
        "As mariscadoras alertan da caída da produción de ameixa",
        [
            "As mariscadoras da ría de Arousa levan meses denunciando que a produción de ameixa caeu á metade. "
            "As choivas intensas do inverno baixaron a salinidade da auga e provocaron unha alta mortalidade.",
            "As confrarías reclaman axudas para compensar as perdas e investimentos en depuradoras, porque "
            "os vertidos urbanos seguen a chegar ao mar en moitos puntos da costa.",
            "Os investigadores do centro mariño advirten de que o quecemento da auga pode agravar a situación "
            "nos próximos anos e propoñen diversificar as especies que se cultivan.",
        ],
    ),
    (
        "deportes/camino-bicicleta",
        "Cada vez máis peregrinos fan o Camiño en bicicleta",
        [
            "O número de peregrinos que chegan a Santiago en bicicleta medrou un trinta por cento neste ano. "
            "Moitos escollen o Camiño Portugués pola costa, que ofrece paisaxes espectaculares e poucas "
            "costas.",
            "Os albergues adaptáronse á nova demanda con garaxes para as bicicletas e pequenos talleres de "
            "reparación. Algúns mesmo alugan bicicletas eléctricas para quen non está afeito a pedalear.",
            "A oficina do peregrino lembra que para obter a compostela en bicicleta hai que percorrer polo "
            "menos douscentos quilómetros e selar a credencial dúas veces ao día.",
        ],
    ),
    (
        "economia/conservas-galegas",
        "A industria conserveira galega aposta pola exportación",
        [
            "As conserveiras galegas venderon no estranxeiro máis ca nunca o ano pasado. Os mexillóns, as "
            "sardiñas e o bonito do norte triunfan en mercados como Francia, Italia e os Estados Unidos.",
            "As empresas do sector explican que a calidade da materia prima e a tradición artesanal son as "
            "súas mellores cartas de presentación, xunto cun deseño de latas cada vez máis coidado.",
            "Con todo, o sector alerta da subida do prezo da folla de lata e do aceite, que está a reducir as "
            "marxes das empresas máis pequenas.",
        ],
    ),
    (
        "saude/sono-adolescentes",
        "Os adolescentes dormen menos horas das que precisan",
        [
            "Un estudo realizado en institutos de Lugo e Ourense conclúe que a maioría dos adolescentes dorme "
            "menos de sete horas nos días de clase. Os investigadores relacionan esta falta de sono co uso de "
            "pantallas pola noite.",
            "Os especialistas recomendan apagar os móbiles unha hora antes de deitarse, manter horarios "
            "regulares e facer exercicio durante o día.",
            "As familias que participaron no proxecto din que pequenos cambios, como deixar o teléfono fóra do "
            "cuarto, melloraron o descanso e o rendemento escolar dos fillos.",
        ],
    ),
    (
        "educacion/escola-rural-lugo",
        "Unha escola unitaria da montaña de Lugo recibe un premio",
        [
            "Unha escola con só once alumnos, nunha aldea dos Ancares, recibiu un premio estatal de "
            "innovación educativa. Os nenos e nenas de diferentes idades traballan xuntos en proxectos sobre a "
            "súa contorna.",
            "A mestra explica que na aula cada neno aprende ao seu ritmo e que os maiores axudan aos máis "
            "pequenos, algo que reforza a autonomía e a confianza de todos.",
            "O premio inclúe unha dotación económica que a escola dedicará a renovar a biblioteca e a mercar "
            "material para a horta escolar.",
        ],
    ),
    (
        "opinion/lingua-mocidade",
        "A lingua galega tamén é cousa da mocidade",
        [
            "Ás veces parece que o galego sexa só a lingua das avoas ou das festas. Nada máis lonxe da "
            "realidade: cada día hai máis mozos que o empregan nas redes, na música e no humor.",
            "Os grupos de música que cantan en galego enchen salas e festivais, e as contas de vídeos curtos "
            "en galego suman miles de seguidores entre a xente nova.",
            "Unha lingua vive mentres a xente a usa. Por iso cómpre que as institucións a favorezan, pero "
            "sobre todo que cada un de nós non cambie de lingua á primeira de cambio.",
        ],
    ),
]
