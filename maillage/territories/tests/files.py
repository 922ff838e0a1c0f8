"""Small official files for the tests, in the exact INSEE formats (extracts of real rows)."""

import io

from openpyxl import Workbook

REGIONS = "REG,TNCC,NCC,NCCENR,LIBELLE\n53,0,BRETAGNE,Bretagne,Bretagne\n32,4,HAUTS DE FRANCE,Hauts-de-France,Hauts-de-France\n"
DEPARTEMENTS = (
    "DEP,REG,TNCC,NCC,NCCENR,LIBELLE\n"
    "29,53,2,FINISTERE,Finistère,Finistère\n"
    "59,32,2,NORD,Nord,Nord\n"
)
COMMUNES_HEADER = "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
COMMUNES = COMMUNES_HEADER + (
    "COM,29019,53,29,29D,,0,BREST,Brest,Brest,,\n"
    "COM,29075,53,29,29D,,0,GUIPAVAS,Guipavas,Guipavas,,\n"
    "COM,29235,53,29,29D,,2,RELECQ KERHUON,Relecq-Kerhuon,Le Relecq-Kerhuon,,\n"
    "COM,59122,32,59,59D,,0,CAMBRAI,Cambrai,Cambrai,,\n"
    "COMA,02285,,,,,1,ESCAUFOURT,Escaufourt,Escaufourt,,59545\n"
    "COM,59545,32,59,59D,,0,SAINT SOUPLET,Saint-Souplet,Saint-Souplet,,\n"
)
POPULATIONS = (
    "COM;PMUN\r\n29019;139926\r\n29075;15281\r\n29235;11589\r\n59122;32558\r\n59545;1305\r\n"
)


def epci_workbook(epci_rows=None, composition_rows=None) -> bytes:
    """The EPCI workbook, with the title block INSEE puts above each header row."""
    epci_rows = (
        epci_rows
        if epci_rows is not None
        else [
            ("242900314", "Brest Métropole", "ME", 3),
            ("200068500", "Communauté d'agglomération de Cambrai", "CA", 1),
        ]
    )
    composition_rows = (
        composition_rows
        if composition_rows is not None
        else [
            ("29019", "Brest", "242900314", "Brest Métropole", "29", "53"),
            ("29075", "Guipavas", "242900314", "Brest Métropole", "29", "53"),
            ("29235", "Le Relecq-Kerhuon", "242900314", "Brest Métropole", "29", "53"),
            ("59122", "Cambrai", "200068500", "Communauté d'agglomération de Cambrai", "59", "32"),
        ]
    )
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in [
        ("EPCI", ("EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"), epci_rows),
        (
            "Composition_communale",
            ("CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"),
            composition_rows,
        ),
    ]:
        sheet = workbook.create_sheet(title)
        sheet.append(["Intercommunalités au 1er janvier 2025"])
        sheet.append(["Découpage de la France en EPCI à fiscalité propre"])
        sheet.append(["Source : Insee, Code officiel géographique"])
        sheet.append([])
        sheet.append([])
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
