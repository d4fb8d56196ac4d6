"""Valencian articles of the demo sample (Valencian standard forms: este, meua, hui, eixir...)."""

ARTICLES = [
    (
        "actualitat/horta-de-valencia",
        "L'horta de València busca xiquets i xiquetes que vullguen aprendre a sembrar",
        [
            "Hui de matí, una vintena de xiquets de l'escola del barri han eixit al camp per a sembrar "
            "creïlles i bresquilleres amb els llauradors de l'horta de Benimaclet. Este projecte vol que les "
            "noves generacions coneguen d'on venen els aliments que mengen.",
            "Vicent, un llaurador jubilat que col·labora des del principi, ho explica així: «Jo sempre dic als "
            "xiquets que la terra és com una persona: si la cuides, te tornarà el que li dones. Ací no "
            "patisc per la collita, patisc perquè ningú no vullga continuar.»",
            "Els mestres valoren molt l'experiència, perquè els alumnes aprenen matemàtiques mesurant els "
            "bancals i ciències observant com creixen les plantes. L'any que ve volen ampliar-ho a tres "
            "escoles més de la comarca.",
        ],
    ),
    (
        "cultura/falles-artistes",
        "Els artistes fallers reivindiquen l'ofici després d'un any difícil",
        [
            "Els tallers de la Ciutat de l'Artista Faller tornen a estar plens de ninots a mig pintar. Després "
            "d'uns anys molt durs, els artistes diuen que hui el sector respira, però que el relleu "
            "generacional continua sent el problema més greu.",
            "«Jo pense que eixe és el repte: que els jóvens vegen que d'este ofici es pot viure», conta una "
            "artista que treballa amb cartó i fusta com ho feia son pare. «La meua filla ja m'ajuda els "
            "dissabtes i diu que vol estudiar belles arts.»",
            "La Junta Central Fallera prepara un programa de pràctiques perquè els estudiants puguen passar "
            "uns mesos als tallers abans de les festes. Els gremis confien que servisca per a atraure talent.",
        ],
    ),
    (
        "medi-ambient/albufera-aigua",
        "L'Albufera necessita més aigua i menys fem",
        [
            "Els científics que vigilen l'Albufera alerten que l'aigua que arriba al llac és cada vegada més "
            "escassa i de pitjor qualitat. Sense aportacions regulars, el parc natural perd biodiversitat "
            "any rere any.",
            "Els pescadors del Palmar recorden que, quan eren xicotets, es podia vore el fons de la séquia. "
            "«Ara eixim a pescar i tornem amb més plàstic que anguiles», lamenta un dels més veterans.",
            "La Generalitat ha anunciat un pla per a depurar millor les aigües que arriben des de les "
            "poblacions del voltant i per a garantir un cabal ecològic mínim durant l'estiu.",
        ],
    ),
    (
        "esports/pilota-valenciana",
        "La pilota valenciana torna als carrers dels pobles",
        [
            "Este estiu, més de trenta pobles de la Safor i la Marina han organitzat partides de pilota al "
            "carrer, com es feia abans. Els veïns trauen les cadires a la porta i miren com els jugadors "
            "colpegen la pilota contra les façanes.",
            "Un dels jugadors més jóvens diu que va començar als huit anys al trinquet del seu poble. «Jo "
            "entrene tots els dies i, quan puc, jugue amb els majors. Ells m'ensenyen el que no està als "
            "llibres.»",
            "La federació vol aprofitar este interés per a obrir escoles de pilota en tots els centres "
            "educatius, perquè cap xiquet no es quede sense conéixer l'esport més nostre.",
        ],
    ),
    (
        "economia/taronja-preus",
        "Els llauradors de taronja demanen preus justos",
        [
            "La campanya de la taronja ha començat amb preus en origen que, segons les organitzacions agràries, "
            "no cobrixen els costos de producció. Molts llauradors de la Ribera diuen que deixaran els camps "
            "sense collir si la situació no canvia.",
            "«Jo venc la taronja a vint cèntims i en el supermercat la trobe a més d'un euro», explica un "
            "llaurador d'Alzira. «Eixa diferència no se la queda qui la fa créixer.»",
            "Les cooperatives proposen vendre directament als consumidors i apostar per la qualitat i la "
            "proximitat, una estratègia que ja funciona en alguns pobles de la comarca.",
        ],
    ),
    (
        "salut/calor-majors",
        "Sanitat recomana a les persones majors que no isquen a les hores de més calor",
        [
            "Amb la primera onada de calor de l'estiu, la Conselleria de Sanitat ha recordat que les persones "
            "majors i els xiquets xicotets són els més vulnerables. Recomana no eixir al carrer entre les dotze "
            "i les cinc de la vesprada.",
            "Els metges de família aconsellen beure aigua encara que no es tinga set, menjar fruita i verdura i "
            "mantindre les persianes baixades durant el dia.",
            "Els ajuntaments han obert espais climatitzats en biblioteques i centres socials perquè qualsevol "
            "persona puga refugiar-se de la calor sense haver de pagar res.",
        ],
    ),
    (
        "educacio/escola-rural-alcoia",
        "Una escola rural de l'Alcoià guanya un premi d'innovació",
        [
            "Una escola amb només vint-i-cinc alumnes, en un poble de l'Alcoià, ha guanyat un premi estatal "
            "d'innovació educativa. Els xiquets de diferents edats treballen junts en projectes sobre el "
            "territori.",
            "La directora ho resumix així: «Ací cada xiquet aprén al seu ritme i els majors ajuden els menuts. "
            "Jo crec que eixa és la millor escola que hi ha.»",
            "El premi inclou una dotació econòmica que l'escola dedicarà a renovar la biblioteca i a comprar "
            "material per a l'hort escolar.",
        ],
    ),
    (
        "opinio/parlar-valencia",
        "Parlar valencià també és cosa de hui",
        [
            "De vegades sembla que el valencià siga només la llengua dels iaios o de les festes. Res més lluny "
            "de la realitat: cada dia hi ha més xiquets i jóvens que el fan servir a l'escola, a les xarxes i "
            "en la música.",
            "Jo mateix, que vaig créixer en una casa on només es parlava castellà, el vaig aprendre al carrer "
            "i a l'institut. Hui és la llengua en què escric i la llengua en què parle als meus fills.",
            "Una llengua viu mentre la gent la usa. Per això cal que les institucions l'afavorisquen, però, "
            "sobretot, que cadascú de nosaltres no canviem de llengua a la primera de canvi.",
        ],
    ),
]
