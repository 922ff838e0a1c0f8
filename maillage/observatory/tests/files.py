"""Small observatory files in the official layouts, over the territories' test referential
(Brest, Guipavas, Le Relecq-Kerhuon in Brest Métropole; Cambrai; Saint-Souplet)."""

import io
import json

from openpyxl import Workbook

# Each commune a 0.1° square on a row: Brest at (−4.5, 48.4), its neighbours east of it.
SQUARES = {
    "29019": (-4.5, 48.4),
    "29075": (-4.4, 48.4),
    "29235": (-4.3, 48.4),
    "59122": (3.2, 50.2),
    "59545": (3.3, 50.2),
}


def square(lon: float, lat: float, size: float = 0.1) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def boundaries(codes=None, extra=()) -> str:
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "nom": code},
            "geometry": square(*SQUARES[code]),
        }
        for code in (codes if codes is not None else SQUARES)
    ]
    features.extend(extra)
    return json.dumps({"type": "FeatureCollection", "features": features})


FLOW_HEADER = "CODGEO;LIBGEO;DCLT;L_DCLT;NBFLUX_C22_ACTOCC15P\n"
FLOW_ROWS = [
    ("29019", "Brest", "29019", "Brest", "1000.5"),
    ("29019", "Brest", "29075", "Guipavas", "120.25"),
    ("29019", "Brest", "99140", "Suisse", "2.75"),
    ("29075", "Guipavas", "29019", "Brest", "300.125"),
    ("29075", "Guipavas", "29075", "Guipavas", "80"),
    ("29235", "Le Relecq-Kerhuon", "29019", "Brest", "200"),
    ("59122", "Cambrai", "59122", "Cambrai", "500"),
    ("59122", "Cambrai", "29019", "Brest", "1.5"),
    ("59545", "Saint-Souplet", "59122", "Cambrai", "40"),
]


def flows(rows=FLOW_ROWS, header=FLOW_HEADER) -> str:
    return header + "".join(";".join(row) + "\n" for row in rows)


def flows_workbook(rows=FLOW_ROWS, year="21") -> bytes:
    """The xlsx edition: sheet Flux_sup_100, five title rows above the header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Flux_sup_100"
    sheet.append(["Mobilités professionnelles en 2021 : déplacements domicile - lieu de travail"])
    sheet.append(["Flux supérieurs ou égaux à 100"])
    sheet.append(["Source : Insee, RP2021 exploitation complémentaire"])
    sheet.append([])
    sheet.append([])
    sheet.append(["CODGEO", "LIBGEO", "DCLT", "L_DCLT", f"NBFLUX_C{year}_ACTOCC15P"])
    for row in rows:
        sheet.append([*row[:4], float(row[4])])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DICTIONARY = (
    "code;libelle;unite;annee;agregation;numerateur;denominateur;multiplicateur;source\n"
    "P21_POP;Population;habitants;2021;sum;;;;INSEE RP 2021\n"
    "P15_POP;Population en 2015;habitants;2015;sum;;;;INSEE RP 2015\n"
    "SUPERF;Superficie;km²;;sum;;;;INSEE\n"
    "P21_ACT1564;Actifs de 15 à 64 ans;actifs;2021;sum;;;;INSEE RP 2021\n"
    "P21_CHOM1564;Chômeurs de 15 à 64 ans;chômeurs;2021;sum;;;;INSEE RP 2021\n"
    "MED21;Revenu médian;€;2021;none;;;;Filosofi 2021\n"
    "DENSITE;Densité de population;hab./km²;2021;ratio;P21_POP;SUPERF;1;INSEE RP 2021\n"
    "EVOL_POP_15_21;Évolution de la population;%;2021;ratio;P21_POP-P15_POP;P15_POP;100;INSEE\n"
    "TX_CHOM_1564;Taux de chômage;%;2021;ratio;P21_CHOM1564;P21_ACT1564;100;INSEE RP 2021\n"
)
STATISTICS = (
    "CODGEO;LIBGEO;P21_POP;P15_POP;SUPERF;P21_ACT1564;P21_CHOM1564;MED21;OTHER\n"
    "29019;Brest;140000;139000;49.5;60000;7200;21000;1\n"
    "29075;Guipavas;15000;14000;44;7000;420;24500;1\n"
    "29235;Le Relecq-Kerhuon;11500;11000;7.5;5000;s;23500;1\n"
    "59122;Cambrai;32000;33000;18;13000;2600;19000;1\n"
)
