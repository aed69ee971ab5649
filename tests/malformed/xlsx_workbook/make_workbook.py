#!/usr/bin/env python3
"""Writes package/submission.xlsx for this case (stdlib only, byte-deterministic).

Sheet "activities": a header of inline strings, then
  row 2  good: real Excel date cells (serial 45292 = 2024-01-01, 45322 = 2024-01-31,
         number format 14) and a numeric quantity 1500.5
  row 3  quantity is a formula with cached value 200 -> warning formula_cell, kept
  row 4  quantity is a formula without a cached value -> error formula_no_value
  row 5  unit "litre" -> error unit_invalid
Sheet "notes" is not a table -> warning sheet_ignored.
"""
import os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
P = "http://schemas.openxmlformats.org/package/2006/relationships"
T = R + "/"
D = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

def s(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

def row(n, cells):
    return f'<row r="{n}">{"".join(cells)}</row>'

def date(ref, serial):
    return f'<c r="{ref}" s="1"><v>{serial}</v></c>'

header = row(1, [s(f"{c}1", h) for c, h in zip("ABCDEFG", ["record_id", "site_id", "start", "end", "activity", "quantity", "unit"])])
def base(n, rid, qty_cell, unit):
    return row(n, [s(f"A{n}", rid), s(f"B{n}", "S1"), date(f"C{n}", 45292), date(f"D{n}", 45322),
                   s(f"E{n}", "electricity.grid"), qty_cell, s(f"G{n}", unit)])
rows = (header
        + base(2, "X1", '<c r="F2"><v>1500.5</v></c>', "kWh")
        + base(3, "X2", '<c r="F3"><f>100*2</f><v>200</v></c>', "kWh")
        + base(4, "X3", '<c r="F4"><f>SUM(Z1:Z9)</f></c>', "kWh")
        + base(5, "X4", '<c r="F5"><v>7</v></c>', "litre"))
sheet = D + f'<worksheet xmlns="{M}"><sheetData>{rows}</sheetData></worksheet>'
notes = D + f'<worksheet xmlns="{M}"><sheetData>{row(1, [s("A1", "free text")])}</sheetData></worksheet>'
styles = D + (f'<styleSheet xmlns="{M}"><cellXfs count="2">'
              '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '</cellXfs></styleSheet>')
parts = [
    ("[Content_Types].xml", D + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
     '<Default Extension="xml" ContentType="application/xml"/></Types>'),
    ("_rels/.rels", D + f'<Relationships xmlns="{P}"><Relationship Id="rId1" Type="{T}officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    ("xl/workbook.xml", D + f'<workbook xmlns="{M}" xmlns:r="{R}"><workbookPr/><sheets>'
     '<sheet name="activities" sheetId="1" r:id="rId1"/><sheet name="notes" sheetId="2" r:id="rId2"/></sheets></workbook>'),
    ("xl/_rels/workbook.xml.rels", D + f'<Relationships xmlns="{P}">'
     f'<Relationship Id="rId1" Type="{T}worksheet" Target="worksheets/sheet1.xml"/>'
     f'<Relationship Id="rId2" Type="{T}worksheet" Target="worksheets/sheet2.xml"/>'
     f'<Relationship Id="rId3" Type="{T}styles" Target="styles.xml"/></Relationships>'),
    ("xl/styles.xml", styles),
    ("xl/worksheets/sheet1.xml", sheet),
    ("xl/worksheets/sheet2.xml", notes),
]
with zipfile.ZipFile(os.path.join(HERE, "package", "submission.xlsx"), "w") as z:
    for name, text in parts:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        z.writestr(info, text.encode("utf-8"))
