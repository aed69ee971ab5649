#!/usr/bin/env python3
"""Deterministic generator of the reference-2024 example data package.

Writes package.toml, sites.csv, activities.csv, instruments.csv, factors.csv,
disclosures.csv, workforce.csv, targets.csv into the package folder (the parent of this tools/ folder, or
the folder given as the first argument).

Python 3 standard library only; no randomness: every "jitter" is a hash of
its labels, so two runs write byte-identical files.

Every published quantity (energy, fuels, renewables, heat, water, waste) is
split over sites and months with integer arithmetic on its smallest published
unit (0.1), so the parts add up exactly to the published total. Emission
totals that the report gives only as results (scope 1, scope 3) are reached by
the chosen inputs below: refrigerant / fire-suppression masses (SCOPE1_RELEASES,
re-tune with `oracle.py --suggest` when the built-in factor data changes) and
scope 3 activity quantities plus supplier-reported rows.
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import sys
from decimal import ROUND_HALF_EVEN, Decimal as D
from fractions import Fraction

YEARS = [2021, 2022, 2023, 2024]          # 2021 = base year (chosen inputs)
REPORT_YEARS = [2022, 2023, 2024]

# ---------------------------------------------------------------------------
# Published totals (reference-report-2024.md); 2021 values are chosen (the
# report gives no 2021 column) -- see README "Base year".
# ---------------------------------------------------------------------------
PUB = {
    2024: dict(electricity="6429609.9", onsite="52035.9", heat="12536.4",
               purchased="1364625.9", gasoline="95428.2", diesel="725147.5",
               natural_gas="2465131.0", water="10370588.3", nonhaz="33097.8",
               haz="3105.8", ew_reused="4380.8", ew_recycled="649.0",
               scope1="121466.000", scope3="3071295.400", pue="1.269",
               capacity="63.8"),
    2023: dict(electricity="5114669.0", onsite="28311.5", heat="13125.9",
               purchased="604277.1", gasoline="91118.9", diesel="1208688.0",
               natural_gas="2272886.4", water="8191328.4", nonhaz="46536.4",
               haz="1321.7", ew_reused="4298.5", ew_recycled="369.7",
               # low in their rounding ranges: the published 2023 components
               # exceed the published total by rounding (see README)
               scope1="275373.465", scope3="2957121.965", pue="1.279",
               capacity="52.2"),
    2022: dict(electricity="4997129.6", onsite="21870.0", heat="13860.6",
               purchased="336419.5", gasoline="44623.7", diesel="1458596.4",
               natural_gas="1867442.0", water="8152481.9", nonhaz="33062.4",
               haz="1051.0", ew_reused="2740.6", ew_recycled="166.0",
               scope1="172137.900", scope3="2917512.500", pue="1.289",
               capacity="19.6"),
    # base year: chosen (not published); total market target 5,874,000.0 t
    2021: dict(electricity="4835210.4", onsite="15402.7", heat="14210.3",
               purchased="180566.2", gasoline="40212.5", diesel="1512340.8",
               natural_gas="1702118.0", water="7650224.6", nonhaz="31208.4",
               haz="912.6", ew_reused="2105.3", ew_recycled="120.4",
               scope1="150418.300", scope3=None, pue="1.305", capacity=None),
}
BASE_TOTAL_MARKET = D("5874000.000")    # chosen 2021 scope 1 + 2 (market) + 3

GRID_FACTOR = D("0.5703")   # cn-mee-reporting electricity.grid CN (t/MWh)
HEAT_FACTOR = D("0.11")     # cn-mee-reporting heat.purchased CN (t/GJ)

# ---------------------------------------------------------------------------
# Scope 1 releases: kg per year and gas.  (activity, gas) -> kg.  The last
# HFC-32 entry of each year is the balancing item: re-tune it with
# `python3 tools/oracle.py --suggest` whenever the built-in factor data
# (GWPs, fuel factors, NCVs, densities) changes.
# ---------------------------------------------------------------------------
SCOPE1_RELEASES = {
    2021: [("refrigerant", "R-410A", "26000.000"), ("refrigerant", "HFC-134a", "41500.000"),
           ("refrigerant", "R-407C", "1650.000"), ("fire_suppression", "HFC-227ea", "4300.000"),
           ("refrigerant", "HFC-32", "2323.902")],
    2022: [("refrigerant", "R-410A", "24000.000"), ("refrigerant", "HFC-134a", "45000.000"),
           ("refrigerant", "R-407C", "1800.000"), ("fire_suppression", "HFC-227ea", "9000.000"),
           ("refrigerant", "HFC-32", "6787.480")],
    2023: [("refrigerant", "R-410A", "30000.000"), ("refrigerant", "HFC-134a", "73500.000"),
           ("refrigerant", "R-407C", "2000.000"), ("fire_suppression", "HFC-227ea", "20500.000"),
           ("refrigerant", "HFC-32", "11965.687")],
    2024: [("refrigerant", "R-410A", "18000.000"), ("refrigerant", "HFC-134a", "32000.000"),
           ("refrigerant", "R-407C", "1500.000"), ("fire_suppression", "HFC-227ea", "5000.000"),
           ("refrigerant", "HFC-32", "4531.738")],
}

# ---------------------------------------------------------------------------
# Sites
# ---------------------------------------------------------------------------
# id, name, kind, region, opened, closed, in_boundary
SITES = [
    ("DC-TJ1", "Tianjin Binhai Data Centre", "data_center", "CN-North", "2016-05", "", "true"),
    ("DC-HL1", "Huailai (Hebei) Data Centre", "data_center", "CN-North", "2019-09", "", "true"),
    ("DC-BJ1", "Beijing Yizhuang Data Centre", "data_center", "CN-North", "2014-03", "2023-06", "true"),
    ("DC-SH1", "Shanghai Qingpu Data Centre", "data_center", "CN-East", "2015-08", "", "true"),
    ("DC-SH2", "Shanghai Songjiang Data Centre", "data_center", "CN-East", "2018-11", "", "true"),
    ("DC-NT1", "Nantong (Jiangsu) Data Centre", "data_center", "CN-East", "2020-06", "", "true"),
    ("DC-WH1", "Wuhu (Anhui) Data Centre", "data_center", "CN-East", "2023-06", "", "true"),
    ("DC-SZ1", "Shenzhen Guangming Data Centre", "data_center", "CN-South", "2017-04", "", "true"),
    ("DC-QY1", "Qingyuan (Guangdong) Data Centre", "data_center", "CN-South", "2020-10", "", "true"),
    ("DC-CQ1", "Chongqing Liangjiang Data Centre", "data_center", "CN-Southwest", "2018-05", "", "true"),
    ("DC-GA1", "Gui'an (Guizhou) Data Centre", "data_center", "CN-Southwest", "2019-01", "", "true"),
    ("DC-ZW1", "Zhongwei (Ningxia) Data Centre", "data_center", "CN-Northwest", "2024-03", "", "true"),
    ("LDC-GZ1", "Guangzhou Huangpu colocation halls (leased)", "leased_data_center", "CN-South", "2019-02", "", "true"),
    ("OF-SZ-HQ", "Shenzhen headquarters campus", "office", "CN-South", "", "", "true"),
    ("OF-SZ-QH", "Shenzhen Qianhai office", "office", "CN-South", "2020-03", "", "true"),
    ("OF-GZ", "Guangzhou office", "office", "CN-South", "", "", "true"),
    ("OF-BJ", "Beijing office", "office", "CN-North", "", "", "true"),
    ("OF-SH", "Shanghai office", "office", "CN-East", "", "", "true"),
    ("OF-HZ", "Hangzhou office", "office", "CN-East", "", "", "true"),
    ("OF-CD", "Chengdu office", "office", "CN-Southwest", "", "", "true"),
    ("OF-WH", "Wuhan office", "office", "CN-Central", "", "", "true"),
    ("OF-XA", "Xi'an office", "office", "CN-Northwest", "", "", "true"),
    ("OF-SY", "Shenyang office", "office", "CN-Northeast", "", "", "true"),
    ("OB-SZ-WH", "Shenzhen spare-parts warehouse (leased, lessor-operated)", "other", "CN-South", "", "", "false"),
]
SITE = {s[0]: s for s in SITES}
DCS = [s[0] for s in SITES if s[2] == "data_center"]
OFFICES = [s[0] for s in SITES if s[2] == "office"]

# Relative annual electricity per site and year (normalised to the total).
ELEC_W = {
    2021: dict(TJ1=500, HL1=560, BJ1=250, SH1=470, SH2=540, NT1=480, SZ1=440, QY1=470,
               CQ1=400, GA1=360),
    2022: dict(TJ1=520, HL1=610, BJ1=230, SH1=480, SH2=560, NT1=540, SZ1=450, QY1=520,
               CQ1=420, GA1=380),
    2023: dict(TJ1=540, HL1=660, BJ1=105, SH1=470, SH2=580, NT1=590, SZ1=455, QY1=560,
               CQ1=440, GA1=410, WH1=125),
    2024: dict(TJ1=600, HL1=780, SH1=500, SH2=640, NT1=680, SZ1=470, QY1=660, CQ1=500,
               GA1=520, WH1=430, ZW1=270),
}
LDC_W = {2021: 70, 2022: 75, 2023: 80, 2024: 88}
OFFICE_W = {"OF-SZ-HQ": 70, "OF-SZ-QH": 25, "OF-GZ": 18, "OF-BJ": 30, "OF-SH": 28,
            "OF-HZ": 14, "OF-CD": 12, "OF-WH": 10, "OF-XA": 9, "OF-SY": 8}
OB_ELEC_MWH = {2021: "3102.6", 2022: "3145.9", 2023: "3188.4", 2024: "3231.3"}

# on-site PV: relative annual output per site
PV_W = {
    2021: {"DC-HL1": 8, "DC-TJ1": 3, "DC-NT1": 3, "OF-SZ-HQ": 1.5},
    2022: {"DC-HL1": 8, "DC-TJ1": 3, "DC-NT1": 4, "DC-QY1": 3, "OF-SZ-HQ": 1.5, "DC-GA1": 2},
    2023: {"DC-HL1": 9, "DC-TJ1": 3, "DC-NT1": 4, "DC-QY1": 4, "OF-SZ-HQ": 1.5, "DC-GA1": 3,
           "DC-WH1": 2, "DC-CQ1": 1.5},
    2024: {"DC-HL1": 10, "DC-TJ1": 3.5, "DC-NT1": 5, "DC-QY1": 5, "OF-SZ-HQ": 1.5, "DC-GA1": 4,
           "DC-WH1": 6, "DC-CQ1": 2.5, "DC-ZW1": 6},
}
# nominal annual PUE of each data centre and year (scaled per year so the
# whole-year average lands on the published figure)
PUE_NOM = {"DC-TJ1": 1.30, "DC-HL1": 1.22, "DC-BJ1": 1.42, "DC-SH1": 1.33, "DC-SH2": 1.29,
           "DC-NT1": 1.25, "DC-WH1": 1.24, "DC-SZ1": 1.35, "DC-QY1": 1.26, "DC-CQ1": 1.30,
           "DC-GA1": 1.20, "DC-ZW1": 1.19, "LDC-GZ1": 1.42}
PUE_TREND = {2021: 1.015, 2022: 1.008, 2023: 1.0, 2024: 0.99}

HEAT_W = {"OF-BJ": 40, "OF-XA": 22, "OF-SY": 28, "DC-HL1": 10}
HEAT_MONTHS = [1, 2, 3, 11, 12]
GASOLINE_W = {"OF-SZ-HQ": 40, "OF-BJ": 20, "OF-SH": 18, "OF-GZ": 12, "OF-CD": 10}
DIESEL_MOBILE_SHARE = {2021: D("0.05"), 2022: D("0.04"), 2023: D("0.035"), 2024: D("0.06")}
DIESEL_MOBILE_W = {"DC-HL1": 3, "DC-QY1": 2, "DC-GA1": 2, "DC-TJ1": 1}
NG_W = {"OF-SZ-HQ": 30, "OF-BJ": 22, "OF-SH": 14, "OF-HZ": 7, "OF-GZ": 8, "OF-XA": 9,
        "OF-SY": 10, "OF-WH": 5, "DC-TJ1": 6}
WATER_OFFICE_SHARE = D("0.06")

# Scope 3 ------------------------------------------------------------------
USER_SET = "reference-2024-user"
S3_SRC = "illustrative EEIO-style factor chosen for this example (not a published factor)"
S3_FACTORS = {  # key -> (value, unit, source)
    "scope3.spend.c1": ("0.0850", "kg/CNY", S3_SRC + "; purchased goods and services (IT services, content, bandwidth)"),
    "scope3.spend.c2": ("0.1650", "kg/CNY", S3_SRC + "; capital goods (servers, network equipment, construction)"),
    "scope3.activity.electricity_upstream": ("71.42", "kg/MWh", "illustrative well-to-tank and transmission-loss factor of grid electricity chosen for this example (not a published factor)"),
    "scope3.activity.freight_road": ("0.105", "kg/tkm", "illustrative road-freight factor chosen for this example (not a published factor)"),
    "scope3.activity.freight_air": ("1.130", "kg/tkm", "illustrative air-freight factor chosen for this example (not a published factor)"),
    "scope3.activity.waste_landfill": ("450", "kg/t", "illustrative landfill factor for mixed commercial waste chosen for this example (not a published factor)"),
    "scope3.activity.waste_incineration": ("30", "kg/t", "illustrative incineration (energy recovery) factor chosen for this example (not a published factor)"),
    "scope3.activity.waste_hazardous_treatment": ("165", "kg/t", "illustrative hazardous-waste treatment factor chosen for this example (not a published factor)"),
    "scope3.activity.air_travel": ("0.133", "kg/pkm", "illustrative economy-class air-travel factor chosen for this example (not a published factor)"),
    "scope3.activity.rail_travel": ("0.035", "kg/pkm", "illustrative high-speed-rail factor chosen for this example (not a published factor)"),
    "scope3.activity.hotel_stay": ("22.5", "kg/night", "illustrative hotel-night factor chosen for this example (not a published factor)"),
    "scope3.activity.commuting_car": ("0.171", "kg/pkm", "illustrative passenger-car commuting factor chosen for this example (not a published factor)"),
    "scope3.activity.commuting_public": ("0.028", "kg/pkm", "illustrative public-transport commuting factor chosen for this example (not a published factor)"),
    "scope3.activity.leased_out_electricity": ("570.3", "kg/MWh", "tenants' sub-metered electricity at the MEE enterprise-reporting grid factor 0.5703 tCO2/MWh (cn-mee-reporting), expressed per MWh for this example"),
}
# category shares of scope 3 (percent) used to size the categories; 2024 from
# the report's chart (mapping chosen: see README).  Categories 3, 5 and 8 are
# not sized by share: they follow from the grid electricity, the waste
# tonnages (landfill fraction below) and the out-of-boundary warehouse.
S3_SHARES = {
    2021: {2: "27.10", 4: "1.25", 6: "2.10", 7: "0.42", 13: "0.01"},
    2022: {2: "26.40", 4: "1.30", 6: "2.85", 7: "0.45", 13: "0.01"},
    2023: {2: "25.90", 4: "1.28", 6: "4.15", 7: "0.47", 13: "0.01"},
    2024: {2: "25.60", 4: "1.32", 6: "4.64", 7: "0.49", 13: "0.01"},
}
LANDFILL_FRACTION = {2021: D("0.46"), 2022: D("0.43"), 2023: D("0.36"), 2024: D("0.40")}
SUPPLIER_SHARE = {1: D("0.11"), 2: D("0.04")}   # of scope 3, per category (<= 20% in all)

MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def days_in(year: int, month: int) -> int:
    if month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 29
    return MONTH_DAYS[month - 1]


def jitter(*labels) -> float:
    """Deterministic value in [-1, 1) from the labels."""
    h = hashlib.sha256("|".join(str(x) for x in labels).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**63 - 1.0


def split(total: int, weights: list[float]) -> list[int]:
    """Split a non-negative integer over weights (largest remainder); exact sum."""
    if total == 0 or not weights:
        return [0] * len(weights)
    s = sum(weights)
    raw = [total * w / s for w in weights]
    base = [int(math.floor(r)) for r in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    assert sum(base) == total
    return base


def tenths(s: str) -> int:
    v = D(s) * 10
    assert v == v.to_integral_value(), s
    return int(v)


def fmt_tenths(n: int) -> str:
    return f"{n // 10}.{n % 10}"


def q3(x: D) -> D:
    return x.quantize(D("0.001"), rounding=ROUND_HALF_EVEN)


def active_months(site: str, year: int) -> list[int]:
    _, _, _, _, opened, closed, _ = SITE[site]
    months = []
    for m in range(1, 13):
        ym = f"{year}-{m:02d}"
        if opened and ym < opened:
            continue
        if closed and ym > closed:
            continue
        months.append(m)
    return months


def month_period(year: int, m: int) -> tuple[str, str]:
    return f"{year}-{m:02d}-01", f"{year}-{m:02d}-{days_in(year, m):02d}"


def quarter_period(year: int, q: int) -> tuple[str, str]:
    m0 = 3 * q - 2
    return f"{year}-{m0:02d}-01", f"{year}-{m0 + 2:02d}-{days_in(year, m0 + 2):02d}"


def seasonal(m: int, amp: float, peak: int = 7) -> float:
    return 1.0 + amp * math.cos(2 * math.pi * (m - peak) / 12)


class Pkg:
    def __init__(self):
        self.acts: list[dict] = []
        self.instruments: list[dict] = []
        self.ids: set[str] = set()

    def act(self, rid, site, start, end, activity, quantity, unit, evidence, cat="", note=""):
        assert rid not in self.ids, rid
        self.ids.add(rid)
        self.acts.append(dict(record_id=rid, site_id=site, start=start, end=end, activity=activity,
                              quantity=quantity, unit=unit, scope3_category=cat,
                              evidence=evidence, note=note))


def monthly_split(total_tenths: int, site: str, year: int, amp: float, tag: str,
                  peak: int = 7) -> list[tuple[int, int]]:
    months = active_months(site, year)
    w = [days_in(year, m) * seasonal(m, amp, peak) * (1 + 0.02 * jitter(tag, site, year, m))
         for m in months]
    return list(zip(months, split(total_tenths, w)))


def build() -> Pkg:
    pkg = Pkg()
    site_grid: dict[tuple[int, str], dict[int, int]] = {}   # (year, site) -> month -> tenths MWh
    site_pv: dict[tuple[int, str], dict[int, int]] = {}
    for y in YEARS:
        P = PUB[y]
        # ---- electricity: total per site, then PV, grid = total - PV --------
        sites_y, weights = [], []
        for k, w in ELEC_W[y].items():
            sites_y.append("DC-" + k)
            weights.append(w)
        sites_y.append("LDC-GZ1"); weights.append(LDC_W[y])
        for o in OFFICES:
            sites_y.append(o); weights.append(OFFICE_W[o] * (1 + 0.03 * (y - 2022)))
        elec = dict(zip(sites_y, split(tenths(P["electricity"]), weights)))
        pv_sites = list(PV_W[y])
        pv = dict(zip(pv_sites, split(tenths(P["onsite"]), [PV_W[y][s] * len(active_months(s, y)) / 12 for s in pv_sites])))
        for s in sites_y:
            g = elec[s] - pv.get(s, 0)
            assert g > 0, (y, s)
            kind = SITE[s][2]
            amp = 0.06 if kind != "office" else 0.12
            site_grid[(y, s)] = dict(monthly_split(g, s, y, amp, "grid"))
            region = SITE[s][3]
            for m, t in site_grid[(y, s)].items():
                a, b = month_period(y, m)
                if kind == "office":
                    qty, unit = str(t * 100), "kWh"
                else:
                    qty, unit = fmt_tenths(t), "MWh"
                util = "CSG" if region == "CN-South" else "SGCC"
                pkg.act(f"EL-{y}-{s}-{m:02d}", s, a, b, "electricity.grid", qty, unit,
                        f"{util} bill {s}-{y}{m:02d} (account {abs(hash_int(s)) % 900000 + 100000})")
        for s in pv_sites:
            site_pv[(y, s)] = dict(monthly_split(pv[s], s, y, 0.3, "pv", peak=6))
            for m, t in site_pv[(y, s)].items():
                a, b = month_period(y, m)
                pkg.act(f"PV-{y}-{s}-{m:02d}", s, a, b, "electricity.onsite_renewable", fmt_tenths(t), "MWh",
                        f"PV generation meter {s}-PV1 reading {y}-{m:02d}")
        # out-of-boundary warehouse (scope 3 category 8)
        for m, t in monthly_split(tenths(OB_ELEC_MWH[y]), "OB-SZ-WH", y, 0.1, "ob"):
            a, b = month_period(y, m)
            pkg.act(f"EL-{y}-OB-SZ-WH-{m:02d}", "OB-SZ-WH", a, b, "electricity.grid", fmt_tenths(t), "MWh",
                    f"lessor recharge statement OB-SZ-WH {y}-{m:02d}",
                    note="leased warehouse outside the operational boundary: scope 3 category 8")
        # ---- IT energy for PUE ------------------------------------------------
        build_it(pkg, y, site_grid, site_pv)
        # ---- heat -------------------------------------------------------------
        hs = list(HEAT_W)
        for s, t in zip(hs, split(tenths(P["heat"]), [HEAT_W[s] * (1 + 0.05 * jitter("heat", s, y)) for s in hs])):
            w = [seasonal(m, 0.5, 1) * (1 + 0.03 * jitter("hm", s, y, m)) for m in HEAT_MONTHS]
            for m, tt in zip(HEAT_MONTHS, split(t, w)):
                a, b = month_period(y, m)
                pkg.act(f"HT-{y}-{s}-{m:02d}", s, a, b, "heat.purchased", fmt_tenths(tt), "MWh",
                        f"district heating invoice {s}-H{y}{m:02d}")
        # ---- fuels ------------------------------------------------------------
        fuel_rows(pkg, y, "gasoline", tenths(P["gasoline"]), GASOLINE_W, "fuel.gasoline.mobile", "L",
                  "fleet fuel-card statement")
        dt = tenths(P["diesel"])
        dmob = int((D(dt) * DIESEL_MOBILE_SHARE[y]).to_integral_value())
        fuel_rows(pkg, y, "dieselmob", dmob, DIESEL_MOBILE_W, "fuel.diesel.mobile", "L",
                  "site vehicle fuel-card statement")
        dsw = {s: PUE_NOM[s] * ELEC_W[y].get(s[3:], 0) for s in DCS if ELEC_W[y].get(s[3:], 0)}
        if y == 2022:
            dsw["DC-CQ1"] *= 3.0      # August 2022 Sichuan-Chongqing power rationing
        fuel_rows(pkg, y, "dieselgen", dt - dmob, dsw, "fuel.diesel.stationary", "L",
                  "generator diesel delivery note")
        fuel_rows(pkg, y, "ng", tenths(P["natural_gas"]), NG_W, "fuel.natural_gas.stationary", "m3",
                  "city-gas bill")
        # ---- water, waste -----------------------------------------------------
        water(pkg, y, site_grid)
        waste(pkg, y)
        # ---- scope 1 releases -------------------------------------------------
        releases(pkg, y)
        # ---- instruments ------------------------------------------------------
        instruments(pkg, y, site_grid)
        # ---- scope 3 ----------------------------------------------------------
        scope3(pkg, y, site_grid)
    return pkg


def hash_int(s: str) -> int:
    return int(hashlib.sha256(s.encode()).hexdigest()[:8], 16)


def fuel_rows(pkg, y, tag, total_tenths, weights: dict, activity, unit, evidence):
    sites = [s for s in weights if active_months(s, y)]
    per_site = split(total_tenths, [weights[s] * (1 + 0.05 * jitter(tag, s, y)) for s in sites])
    for s, t in zip(sites, per_site):
        months = active_months(s, y)
        w = [days_in(y, m) * (1 + 0.15 * jitter(tag, s, y, m)) for m in months]
        if tag == "dieselgen" and s == "DC-CQ1" and y == 2022:
            w = [x * (8.0 if m == 8 else 1.0) for x, m in zip(w, months)]
        if tag == "ng":
            w = [x * seasonal(m, 0.25, 1) for x, m in zip(w, months)]
        for m, tt in zip(months, split(t, w)):
            if tt == 0:
                continue
            a, b = month_period(y, m)
            pkg.act(f"FU-{y}-{s}-{tag}-{m:02d}", s, a, b, activity, fmt_tenths(tt), unit,
                    f"{evidence} {s}/{y}{m:02d}")


def pue_scale(y, site_grid, site_pv):
    """Per-site annual PUE; scale k so the whole-year average hits PUB[y]['pue']."""
    counted = [s for s in DCS if (y, s) in site_grid and counts_whole_year(s, y)]
    fac = {s: sum(site_grid[(y, s)].values()) + sum(site_pv.get((y, s), {}).values()) for s in counted}
    base_it = sum(fac[s] / (PUE_NOM[s] * PUE_TREND[y]) for s in counted)
    base_avg = sum(fac.values()) / base_it
    return float(D(PUB[y]["pue"])) / base_avg, counted


def counts_whole_year(s, y):
    _, _, kind, _, opened, closed, inb = SITE[s]
    if kind != "data_center" or inb != "true":
        return False
    if opened and opened > f"{y - 1}-12":
        return False
    if closed and closed < f"{y}-12":
        return False
    return True


def build_it(pkg, y, site_grid, site_pv):
    k, counted = pue_scale(y, site_grid, site_pv)
    rows = {}
    for s in DCS + ["LDC-GZ1"]:
        if (y, s) not in site_grid:
            continue
        p_year = PUE_NOM[s] * PUE_TREND[y] * (k if s in counted else 1.0)
        assert 1.15 <= p_year <= 1.45, (s, y, p_year)
        for m, g in site_grid[(y, s)].items():
            f = g + site_pv.get((y, s), {}).get(m, 0)
            p = p_year * seasonal(m, 0.035) * (1 + 0.004 * jitter("pue", s, y, m))
            if s == "DC-ZW1" or (s == "DC-WH1" and y == 2023):
                first = active_months(s, y)[0]
                p *= 1 + 0.08 * max(0, 4 - (m - first)) / 4   # commissioning months
            rows[(s, m)] = int(round(f / p))
    # close the average on the target: adjust the largest counted site's December
    fac = sum(sum(site_grid[(y, s)].values()) + sum(site_pv.get((y, s), {}).values()) for s in counted)
    it = sum(v for (s, m), v in rows.items() if s in counted)
    need = int(round(fac / float(D(PUB[y]["pue"])))) - it
    big = max(counted, key=lambda s: sum(site_grid[(y, s)].values()))
    rows[(big, 12)] += need
    for (s, m), t in sorted(rows.items()):
        a, b = month_period(y, m)
        pkg.act(f"IT-{y}-{s}-{m:02d}", s, a, b, "it_energy", fmt_tenths(t), "MWh",
                f"DCIM export {s} IT load (UPS output) {y}-{m:02d}")


def water(pkg, y, site_grid):
    total = tenths(PUB[y]["water"])
    office = int(D(total) * WATER_OFFICE_SHARE)
    dcs = [s for s in DCS + ["LDC-GZ1"] if (y, s) in site_grid and s != "LDC-GZ1"]
    dcw = split(total - office, [sum(site_grid[(y, s)].values()) * (1.3 if SITE[s][3] in ("CN-South", "CN-East") else 1.0) for s in dcs])
    ofw = split(office, [OFFICE_W[o] for o in OFFICES])
    for s, t in list(zip(dcs, dcw)) + list(zip(OFFICES, ofw)):
        for m, tt in monthly_split(t, s, y, 0.25 if s.startswith("DC") else 0.1, "water"):
            a, b = month_period(y, m)
            pkg.act(f"WA-{y}-{s}-{m:02d}", s, a, b, "water.withdrawal", fmt_tenths(tt), "m3",
                    f"water utility bill {s}-W{y}{m:02d}")


def clip_start(s, y, a):
    """A quarter of the year a site opened starts no earlier than its first month."""
    opened = SITE[s][4]
    if opened and opened[:4] == str(y) and a < opened + "-01":
        return opened + "-01"
    return a


def quarters_of(s, y):
    ms = active_months(s, y)
    return [q for q in range(1, 5) if any(3 * q - 2 <= m <= 3 * q for m in ms)]


def spread_quarters(pkg, y, total, sites_w: dict, activity, unit, evid, tag, cat="", fmt=fmt_tenths):
    sites = [s for s in sites_w if quarters_of(s, y)]
    per = split(total, [sites_w[s] * (1 + 0.05 * jitter(tag, s, y)) for s in sites])
    for s, t in zip(sites, per):
        qs = quarters_of(s, y)
        for q, tt in zip(qs, split(t, [1 + 0.1 * jitter(tag, s, y, q) for q in qs])):
            a, b = quarter_period(y, q)
            a = clip_start(s, y, a)
            pkg.act(f"{tag}-{y}-{s}-Q{q}", s, a, b, activity, fmt(tt), unit, f"{evid} {s} {y}Q{q}", cat)


def waste(pkg, y):
    P = PUB[y]
    dcs = [s for s in DCS if active_months(s, y)]
    nh_w = {**{s: 3 for s in dcs}, **{o: OFFICE_W[o] / 10 for o in OFFICES}}
    spread_quarters(pkg, y, tenths(P["nonhaz"]), nh_w, "waste.nonhazardous", "t",
                    "licensed waste collector manifest", "WN")
    spread_quarters(pkg, y, tenths(P["haz"]), {s: 1 for s in dcs}, "waste.hazardous", "t",
                    "hazardous waste transfer manifest (lead-acid batteries, waste oil)", "WH")
    spread_quarters(pkg, y, tenths(P["ew_reused"]), {s: 1 for s in dcs}, "ewaste.reused", "t",
                    "server redeployment / resale register", "ER")
    spread_quarters(pkg, y, tenths(P["ew_recycled"]), {s: 1 for s in dcs}, "ewaste.recycled", "t",
                    "certified e-waste recycler receipt", "EC")


def releases(pkg, y):
    dcs = [s for s in DCS + ["LDC-GZ1"] if active_months(s, y) and s != "LDC-GZ1"]
    for kind, gas, kg in SCOPE1_RELEASES[y]:
        grams = int(D(kg) * 1000)
        if kind == "fire_suppression":
            # discrete discharge events (system tests, accidental releases)
            if y == 2023:
                sites = ["DC-SZ1", "DC-SH1", "DC-CQ1"]; w = [6, 1.2, 1]
            else:
                sites = ["DC-SH1", "DC-TJ1"] if y != 2024 else ["DC-QY1", "DC-SH2"]; w = [1.4, 1]
            for i, (s, g) in enumerate(zip(sites, split(grams, w))):
                q = 1 + (hash_int(f"{s}{y}{gas}") % 4)
                a, b = quarter_period(y, q)
                pkg.act(f"FS-{y}-{s}-{gas}-{i + 1}", s, a, b, f"fire_suppression.{gas}", f"{D(g) / 1000:.3f}", "kg",
                        f"fire-suppression incident/refill report FSR-{y}-{s}-{i + 1}")
            continue
        sites = dcs if gas != "HFC-32" else dcs + ["OF-SZ-HQ", "OF-SH", "OF-BJ"]
        per = split(grams, [PUE_NOM.get(s, 1.0) * (1 + 0.3 * jitter(gas, s, y)) for s in sites])
        for s, g in zip(sites, per):
            qs = quarters_of(s, y)
            for q, gg in zip(qs, split(g, [1 + 0.5 * jitter(gas, s, y, q) for q in qs])):
                a, b = quarter_period(y, q)
                a = clip_start(s, y, a)
                pkg.act(f"RF-{y}-{s}-{gas}-Q{q}", s, a, b, f"{kind}.{gas}", f"{D(gg) / 1000:.3f}", "kg",
                        f"maintenance top-up log MNT-{s}-{y}Q{q} ({gas})")


# instruments: (kind, site or None, region, weight)
INSTR = {
    2021: [("green_power_purchase", "DC-HL1", "CN-North", 60), ("certificate", None, "CN", 40)],
    2022: [("green_power_purchase", "DC-HL1", "CN-North", 35), ("green_power_purchase", "DC-GA1", "CN-Southwest", 15),
           ("certificate", None, "CN", 30), ("ppa", None, "CN-East", 20)],
    2023: [("green_power_purchase", "DC-HL1", "CN-North", 25), ("green_power_purchase", "DC-GA1", "CN-Southwest", 12),
           ("green_power_purchase", "DC-QY1", "CN-South", 10), ("ppa", None, "CN-East", 18),
           ("ppa", None, "CN-South", 10), ("certificate", None, "CN", 25)],
    2024: [("green_power_purchase", "DC-HL1", "CN-North", 18), ("green_power_purchase", "DC-GA1", "CN-Southwest", 10),
           ("green_power_purchase", "DC-QY1", "CN-South", 8), ("green_power_purchase", "DC-ZW1", "CN-Northwest", 6),
           ("ppa", None, "CN-East", 20), ("ppa", None, "CN-North", 10), ("ppa", None, "CN-South", 8),
           ("certificate", None, "CN", 20)],
}


def instruments(pkg, y, site_grid):
    spec = INSTR[y]
    vols = split(tenths(PUB[y]["purchased"]), [w for *_, w in spec])
    region_grid = {}
    for (yy, s), mm in site_grid.items():
        if yy == y:
            region_grid[SITE[s][3]] = region_grid.get(SITE[s][3], 0) + sum(mm.values())
    for (kind, site, region, _), v in zip(spec, vols):
        if site:
            g = sum(site_grid[(y, site)].values())
            assert v <= 0.8 * g, (y, site, v, g)
            ms = active_months(site, y)
            qs = quarters_of(site, y)
            for q, vv in zip(qs, split(v, [1 + 0.1 * jitter("gpp", site, y, q) for q in qs])):
                a, b = quarter_period(y, q)
                a = clip_start(site, y, a)
                iid = f"GPP-{y}-{site}-Q{q}"
                pkg.instruments.append(dict(instrument_id=iid, kind=kind, site_id=site, grid_region=region,
                                            start=a, end=b, mwh=fmt_tenths(vv), emission_factor="0",
                                            renewable="true", certificate_ref=f"BJ-PX green power trade {iid}"))
        elif kind == "ppa":
            assert v <= 0.5 * region_grid[region], (y, region)
            pkg.instruments.append(dict(instrument_id=f"PPA-{y}-{region}", kind=kind, site_id="", grid_region=region,
                                        start=f"{y}-01-01", end=f"{y}-12-31", mwh=fmt_tenths(v), emission_factor="0",
                                        renewable="true", certificate_ref=f"PPA contract {region}-{y} (wind/solar)"))
        else:
            parts = split(v, [5, 3, 2])
            for i, p in enumerate(parts, 1):
                iid = f"GEC-{y}-CN-{i:02d}"
                pkg.instruments.append(dict(instrument_id=iid, kind=kind, site_id="", grid_region=region,
                                            start=f"{y}-01-01", end=f"{y}-12-31", mwh=fmt_tenths(p), emission_factor="0",
                                            renewable="true", certificate_ref=f"China GEC batch {y}-{i:02d}"))


def scope3_total(y, site_grid) -> D:
    if PUB[y]["scope3"] is not None:
        return D(PUB[y]["scope3"])
    grid = sum(sum(v.values()) for (yy, s), v in site_grid.items() if yy == y) / D(10)
    s2m = (grid - D(PUB[y]["purchased"])) * GRID_FACTOR + D(PUB[y]["heat"]) * D("3.6") * HEAT_FACTOR
    return q3(BASE_TOTAL_MARKET - D(PUB[y]["scope1"]) - s2m)


def scope3(pkg, y, site_grid):
    S3 = scope3_total(y, site_grid)
    F = {k: D(v[0]) for k, v in S3_FACTORS.items()}
    cat = {}
    # cat 3: upstream of grid electricity, per site and quarter (in-boundary sites)
    c3 = D(0)
    for (yy, s), mm in sorted(site_grid.items()):
        if yy != y:
            continue
        for q in range(1, 5):
            t = sum(v for m, v in mm.items() if 3 * q - 2 <= m <= 3 * q)
            if t == 0:
                continue
            a, b = quarter_period(y, q)
            pkg.act(f"S3-{y}-{s}-c3-Q{q}", s, a, b, "scope3.activity.electricity_upstream", fmt_tenths(t), "MWh",
                    f"grid electricity bills {s} {y}Q{q} (upstream emissions of purchased electricity)", "3")
            c3 += D(t) / 10 * F["scope3.activity.electricity_upstream"] / 1000
    cat[3] = c3
    # cat 8: warehouse electricity at the location-based grid factor
    cat[8] = D(OB_ELEC_MWH[y]) * GRID_FACTOR
    # cat 5: waste by treatment (tonnages = the waste figures)
    nh = tenths(PUB[y]["nonhaz"])
    land = int(D(nh) * LANDFILL_FRACTION[y])
    c5 = D(0)
    for key, t, ev in [("waste_landfill", land, "landfill"), ("waste_incineration", nh - land, "incineration"),
                       ("waste_hazardous_treatment", tenths(PUB[y]["haz"]), "hazardous treatment")]:
        for q, tt in zip(range(1, 5), split(t, [1, 1.05, 1.1, 1.0])):
            a, b = quarter_period(y, q)
            pkg.act(f"S3-{y}-{key}-Q{q}", "OF-SZ-HQ", a, b, f"scope3.activity.{key}", fmt_tenths(tt), "t",
                    f"waste contractor treatment report {y}Q{q} ({ev})", "5")
        c5 += D(t) / 10 * F[f"scope3.activity.{key}"] / 1000
    cat[5] = c5
    shares = {c: D(v) / 100 for c, v in S3_SHARES[y].items()}
    offices_w = {o: OFFICE_W[o] for o in OFFICES}

    def activity_cat(c, items, sites_w, tagp):
        """items: (key, weight of emissions, unit); quantities integers."""
        target = shares[c] * S3
        tot = D(0)
        for key, w, unit in items:
            em = target * D(w)
            qty = int((em * 1000 / F["scope3.activity." + key]).to_integral_value())
            sites = list(sites_w)
            per = split(qty, [sites_w[s] * (1 + 0.05 * jitter(key, s, y)) for s in sites])
            for s, n in zip(sites, per):
                for q, nn in zip(range(1, 5), split(n, [0.9, 1.05, 1.05, 1.0])):
                    a, b = quarter_period(y, q)
                    pkg.act(f"S3-{y}-{s}-{tagp}-{key}-Q{q}", s, a, b, f"scope3.activity.{key}", str(nn), unit,
                            EVID[key] + f" {s} {y}Q{q}", str(c))
            tot += D(qty) * F["scope3.activity." + key] / 1000
        return tot

    cat[4] = activity_cat(4, [("freight_road", "0.62", "tkm"), ("freight_air", "0.38", "tkm")],
                          {"OF-SZ-HQ": 3, "OF-SH": 1, "OF-BJ": 1}, "c4")
    cat[6] = activity_cat(6, [("air_travel", "0.84", "pkm"), ("rail_travel", "0.07", "pkm"), ("hotel_stay", "0.09", "night")],
                          offices_w, "c6")
    cat[7] = activity_cat(7, [("commuting_car", "0.68", "pkm"), ("commuting_public", "0.32", "pkm")], offices_w, "c7")
    cat[13] = activity_cat(13, [("leased_out_electricity", "1", "MWh")], {"OF-SZ-HQ": 1}, "c13")
    # cat 2 and cat 1: spend + supplier-specific; cat 1 takes what is left
    cat[2] = shares[2] * S3
    cat[1] = S3 - sum(cat.values())
    for c in (2, 1):
        ss = q3(SUPPLIER_SHARE[c] * S3)
        spend_em = cat[c] - ss
        fkey = f"scope3.spend.c{c}"
        cny = int((spend_em * 1000 / F[fkey]).to_integral_value())
        spend_exact = D(cny) * F[fkey] / 1000
        for q, v in zip(range(1, 5), split(cny, [0.85, 1.0, 1.05, 1.2])):
            a, b = quarter_period(y, q)
            pkg.act(f"S3-{y}-c{c}-spend-Q{q}", "OF-SZ-HQ", a, b, "scope3.spend", str(v), "CNY",
                    f"AP ledger extract {y}Q{q}, category {c} spend mapping v3", str(c))
        # supplier-specific rows close the category exactly (3 decimals)
        rest = cat[c] - spend_exact
        sup = SUPPLIERS[c]
        grams = int((q3(rest) * 1000))
        for (name, w), g in zip(sup, split(grams, [w for _, w in sup])):
            pkg.act(f"S3-{y}-c{c}-sup-{name}", "OF-SZ-HQ", f"{y}-01-01", f"{y}-12-31", "scope3.supplier_specific",
                    f"{D(g) / 1000:.3f}", "tCO2e", f"supplier GHG statement {y} ({name}, verified)", str(c))


EVID = {
    "freight_road": "logistics provider shipment report (road)",
    "freight_air": "logistics provider shipment report (air)",
    "air_travel": "travel agency booking report (air)",
    "rail_travel": "travel agency booking report (rail)",
    "hotel_stay": "travel agency booking report (hotel)",
    "commuting_car": "commuting survey extrapolation (car)",
    "commuting_public": "commuting survey extrapolation (public transport)",
    "leased_out_electricity": "tenant sub-meter statement, leased-out floors",
}
SUPPLIERS = {
    1: [("bandwidth-provider-A", 5), ("cloud-services-B", 3), ("content-delivery-C", 2)],
    2: [("server-oem-D", 6), ("network-equipment-E", 2)],
}


# ---------------------------------------------------------------------------
def write_csv(path, fields, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


PACKAGE_TOML = """# Assay example data package: reproduces the environment table of the
# reference report (reference/reference-report-2024.md) for 2022-2024.
# Generated by tools/generate.py -- edit the generator, not this file.
name = "Assay Reference Group (example)"
reporting_year = 2024
years = [2022, 2023, 2024]
base_year = 2021
consolidation = "operational_control"
currency = "CNY"
languages = ["en", "zh-Hant"]
# gbt2589-2020 before ipcc2006: China's net calorific values decide energy,
# and IPCC 2006 per-TJ factors then apply to that GB/T energy.
factor_sets = ["gbt2589-2020", "typical-densities", "ipcc2006", "ar6", "cn-mee-reporting"]
factor_files = ["factors.csv"]

[revenue]
2021 = 560118
2022 = 554552
2023 = 609015
2024 = 660257
"""


# ---- workforce, safety, training (workforce.csv) ----------------------------
# The report's employment table (reference-report-2024.md, "Workforce and
# safety"), as published: headcounts exactly; rates (turnover 1 decimal,
# injury/fatality rates 2 decimals, trained % and average hours 1 decimal)
# reached by the chosen inputs below (solve_* functions; README "Workforce").
WF_DIMS = {
    "employment_type": ["regular", "other"],
    "age_band": ["<30", "30-50", ">50"],
    "gender": ["male", "female"],
    "level": ["management", "non_management"],
    "region": ["CN", "other"],
}
WF_HEADCOUNT = {  # year -> total, then per dimension in WF_DIMS order
    2024: (58350, {"employment_type": [55460, 2890], "age_band": [18415, 39549, 386],
                   "gender": [41472, 16878], "level": [5836, 52514], "region": [56247, 2103]}),
    2023: (56780, {"employment_type": [54821, 1959], "age_band": [17820, 38622, 338],
                   "gender": [40469, 16311], "level": [5926, 50854], "region": [54861, 1919]}),
    2022: (61328, {"employment_type": [60135, 1193], "age_band": [22675, 38400, 253],
                   "gender": [43693, 17635], "level": [6535, 54793], "region": [59644, 1684]}),
}
WF_TURNOVER = {  # % total, then per dimension (published)
    2024: ("14.3", {"age_band": ["16.1", "13.5", "21.0"], "gender": ["14.3", "14.3"], "region": ["14.1", "19.1"]}),
    2023: ("17.0", {"age_band": ["20.5", "15.3", "19.7"], "gender": ["16.8", "17.4"], "region": ["16.9", "21.4"]}),
    2022: ("21.7", {"age_band": ["23.6", "20.5", "20.5"], "gender": ["21.7", "21.8"], "region": ["21.6", "28.2"]}),
}
# Chosen: average regular headcount = mean of the regular headcount at the
# start and end of the year (2021 year-end regular headcount chosen 61,000).
WF_REGULAR_2021 = 61000
WF_SAFETY = {  # fatalities, injuries, lost days (published); hours worked per head (chosen)
    2024: (0, 34, 1381, 1900), 2023: (0, 14, 576, 1900), 2022: (1, 11, 322, 1950),
}
WF_TRAINED_PCT = {  # gender (male, female), level (management, non_management)
    2024: {"gender": ["98.7", "99.0"], "level": ["98.6", "98.8"]},
    2023: {"gender": ["98.6", "98.7"], "level": ["99.4", "98.6"]},
    2022: {"gender": ["99.4", "99.6"], "level": ["99.7", "99.4"]},
}
WF_AVG_HOURS = {
    2024: {"gender": ["37.3", "39.9"], "level": ["44.8", "37.3"]},
    2023: {"gender": ["25.2", "27.3"], "level": ["33.8", "24.9"]},
    2022: {"gender": ["35.4", "38.5"], "level": ["50.5", "34.6"]},
}


def rounds_to(num: int, den: int, scale: int, published: str, margin=Fraction(1, 100)) -> bool:
    """num/den*scale rounds (half away from zero) to `published`, at least `margin`
    of a unit of the last digit away from a rounding boundary."""
    p = Fraction(D(published))
    step = Fraction(1, 10 ** max(0, -D(published).as_tuple().exponent))
    v = Fraction(num * scale, den)
    return p - step / 2 + step * margin <= v < p + step / 2 - step * margin


def in_rounding(n_lo_hi_den: int, scale: int, published: str) -> list[int]:
    """Integers n with n/den*scale rounding to `published` (inside the margin)."""
    den = n_lo_hi_den
    p = Fraction(D(published))
    step = Fraction(1, 10 ** max(0, -D(published).as_tuple().exponent))
    lo = math.floor((p - step / 2) * den / scale)
    hi = math.ceil((p + step / 2) * den / scale)
    return [n for n in range(max(lo, 0), hi + 1) if rounds_to(n, den, scale, published)]


def split_counts(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder; sums exactly)."""
    s = sum(weights)
    raw = [Fraction(total * w, s) for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def solve_turnover(y: int) -> tuple[int, int, dict]:
    """Average regular headcount A and leavers L, total and per category, so that
    every published turnover rate comes out and categories sum to the totals."""
    total_hc, dims = WF_HEADCOUNT[y]
    prev_regular = WF_REGULAR_2021 if y == 2022 else WF_HEADCOUNT[y - 1][1]["employment_type"][0]
    avg = (prev_regular + dims["employment_type"][0]) // 2
    rate_total, rates = WF_TURNOVER[y]
    # Of the leavers totals that give the published total rate, the first whose
    # category splits stay within `reach` of the headcount proportions.
    for reach in (150, 600, 3000):
        for leavers in in_rounding(avg, 100, rate_total):
            parts = {}
            for dim, rs in rates.items():
                got = solve_dimension(avg, leavers, dims[dim], rs, reach)
                if got is None:
                    break
                parts[dim] = got
            else:
                return avg, leavers, parts
    raise SystemExit(f"workforce {y}: no turnover split found")


def solve_dimension(avg: int, leavers: int, headcounts: list[int], rates: list[str], reach: int):
    """Per-category (avg, leavers) summing to (avg, leavers), each rounding to its
    rate. Small categories take the headcount's proportion; the two largest
    absorb the rest (their average headcount moved until both rates hold)."""
    n = len(headcounts)
    big = sorted(range(n), key=lambda i: -headcounts[i])[:2]
    base = split_counts(avg, headcounts)
    a = list(base)
    lv = [0] * n
    for i in range(n):
        if i in big:
            continue
        for da in range(0, 400):
            for cand in (a[i] + da, a[i] - da):
                opts = in_rounding(cand, 100, rates[i])
                if opts:
                    a[i], lv[i] = cand, opts[len(opts) // 2]
                    break
            else:
                continue
            break
    i1, i2 = big
    a_rem = avg - sum(a[i] for i in range(n) if i not in big)
    l_rem = leavers - sum(lv[i] for i in range(n) if i not in big)
    # Nearest to the headcount proportion first.
    centre = base[i1] + (a_rem - base[i1] - base[i2]) // 2
    for d in range(0, reach):
        for a1 in (centre + d, centre - d):
            a2 = a_rem - a1
            if a1 <= 0 or a2 <= 0:
                continue
            for l1 in in_rounding(a1, 100, rates[i1]):
                l2 = l_rem - l1
                if l2 >= 0 and rounds_to(l2, a2, 100, rates[i2]):
                    a[i1], a[i2], lv[i1], lv[i2] = a1, a2, l1, l2
                    return a, lv
    return None


def solve_per_head(y: int, table: dict, scale: int) -> tuple[int, dict]:
    """Per-category numerators n_c with n_c / headcount_c x scale rounding to the
    published value, gender and level summing to one total."""
    _, dims = WF_HEADCOUNT[y]
    opts = {dim: [in_rounding(hc, scale, pub) for hc, pub in zip(dims[dim], table[y][dim])]
            for dim in ("gender", "level")}
    ranges = {dim: (sum(o[0] for o in opts[dim]), sum(o[-1] for o in opts[dim])) for dim in opts}
    lo = max(r[0] for r in ranges.values())
    hi = min(r[1] for r in ranges.values())
    if lo > hi:
        raise SystemExit(f"workforce {y}: gender and level cannot share a total")
    total = (lo + hi) // 2
    out = {}
    for dim, o in opts.items():
        # Start each category at the middle of its interval, then move the
        # difference to the total over the categories, within their intervals.
        vals = [c[len(c) // 2] for c in o]
        diff = total - sum(vals)
        for i, c in enumerate(o):
            step = min(diff, c[-1] - vals[i]) if diff > 0 else max(diff, c[0] - vals[i])
            vals[i] += step
            diff -= step
        assert diff == 0
        out[dim] = vals
    return total, out


def workforce_rows() -> list[dict]:
    rows = []

    def row(y, measure, dim, cat, value):
        rows.append(dict(year=y, measure=measure, dimension=dim, category=cat, value=value))

    for y in REPORT_YEARS:
        total_hc, dims = WF_HEADCOUNT[y]
        row(y, "headcount", "total", "", total_hc)
        for dim, cats in WF_DIMS.items():
            for c, v in zip(cats, dims[dim]):
                row(y, "headcount", dim, c, v)
        avg, leavers, parts = solve_turnover(y)
        row(y, "avg_headcount_regular", "total", "", avg)
        row(y, "leavers_regular", "total", "", leavers)
        for dim in ("age_band", "gender", "region"):
            a, lv = parts[dim]
            for c, av, l in zip(WF_DIMS[dim], a, lv):
                row(y, "avg_headcount_regular", dim, c, av)
                row(y, "leavers_regular", dim, c, l)
        fat, inj, lost, per_head = WF_SAFETY[y]
        hours = total_hc * per_head
        assert rounds_to(inj * 10 ** 6, hours, 1, {2024: "0.31", 2023: "0.13", 2022: "0.09"}[y])
        assert rounds_to(fat * 10 ** 6, hours, 1, {2024: "0.00", 2023: "0.00", 2022: "0.01"}[y])
        row(y, "hours_worked", "total", "", hours)
        row(y, "fatalities", "total", "", fat)
        row(y, "injuries", "total", "", inj)
        row(y, "lost_days", "total", "", lost)
        for measure, table, scale in (("trained", WF_TRAINED_PCT, 100), ("training_hours", WF_AVG_HOURS, 1)):
            total, per = solve_per_head(y, table, scale)
            row(y, measure, "total", "", total)
            for dim in ("gender", "level"):
                for c, v in zip(WF_DIMS[dim], per[dim]):
                    row(y, measure, dim, c, v)
    return rows


# ---- targets and counted facts ----------------------------------------------
TARGETS = [
    dict(target_id="T-S12-2030", metric="ghg.scope12.market", kind="reduction", base_year=2021, base_value="",
         target_year=2030, target_value=70,
         note="scope 1 + 2 absolute -70% by 2030 against 2021 (validated by SBTi); base computed from 2021 data"),
    dict(target_id="T-S3-2030", metric="ghg.scope3", kind="reduction", base_year=2021, base_value="",
         target_year=2030, target_value=30,
         note="scope 3 absolute -30% by 2030 against 2021 (validated by SBTi); base computed from 2021 data"),
    dict(target_id="T-PUE", metric="pue.average", kind="at_most", base_year=2021, base_value="",
         target_year=2030, target_value="1.35", note="average PUE of own data centres at most 1.35"),
    dict(target_id="T-RE100-2030", metric="renewable.share", kind="at_least", base_year=2021, base_value="",
         target_year=2030, target_value=100, note="100% green electricity by 2030"),
]


def disclosure_rows() -> list[dict]:
    out = [dict(year=y, metric="renewable.capacity", category="", value=PUB[y]["capacity"], unit="MW",
                evidence=f"installed on-site PV capacity at 31 December {y}, asset register of rooftop and "
                         f"ground-mounted PV at data centres and the headquarters campus (report figure)")
           for y in REPORT_YEARS]
    out += [
        dict(year=2024, metric="suppliers.count", category="region:CN", value=27248, unit="count",
             evidence="supplier management platform, active suppliers at 31 December 2024 (report figure)"),
        dict(year=2024, metric="suppliers.count", category="region:other", value=5196, unit="count",
             evidence="supplier management platform, active suppliers at 31 December 2024 (report figure)"),
        dict(year=2024, metric="complaints.consumer", category="", value=153962802, unit="count",
             evidence="consumer-internet customer service system, complaints received in 2024 (report figure)"),
        dict(year=2024, metric="complaints.enterprise", category="", value=15141, unit="count",
             evidence="enterprise-internet customer service system, complaints handled in 2024 (report figure)"),
        dict(year=2024, metric="ethics.corruption_cases", category="", value=5, unit="count",
             evidence="employee corruption cases referred to the police with a court outcome in 2024 (report figure)"),
        dict(year=2024, metric="x.packaging_material", category="", value="not_material", unit="",
             evidence="HKEX KPI A2.5 (packaging material for finished products) has low relevance to the main "
                      "business and is not material (report, content index note 1)"),
        dict(year=2024, metric="x.product_recalls", category="", value="not_material", unit="",
             evidence="HKEX KPI B6.1 (products recalled for safety and health reasons) has low relevance to the "
                      "main business and is not material (report, content index note 1)"),
        dict(year=2024, metric="x.air_emissions", category="", value="not_material", unit="",
             evidence="HKEX KPI A1.1: the group's main emissions are greenhouse gases from fuel and purchased "
                      "electricity, reported under A1.2 (report, ESG KPI table note 1); other air emissions "
                      "(NOx, SOx, particulates) are not material to an internet and data-centre business"),
        dict(year=2024, metric="x.quality_recall_procedures", category="", value="not_material", unit="",
             evidence="HKEX KPI B6.4 (quality assurance process and recall procedures) has low relevance to the "
                      "main business and is not material (report, content index note 1)"),
    ]
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pkg = build()
    with open(os.path.join(out, "package.toml"), "w", encoding="utf-8", newline="") as f:
        f.write(PACKAGE_TOML)
    write_csv(os.path.join(out, "sites.csv"),
              ["site_id", "name", "kind", "country", "grid_region", "opened", "closed", "in_boundary"],
              [dict(site_id=s[0], name=s[1], kind=s[2], country="CN", grid_region=s[3], opened=s[4],
                    closed=s[5], in_boundary=s[6]) for s in SITES])
    write_csv(os.path.join(out, "activities.csv"),
              ["record_id", "site_id", "start", "end", "activity", "quantity", "unit", "scope3_category",
               "evidence", "note"], pkg.acts)
    write_csv(os.path.join(out, "instruments.csv"),
              ["instrument_id", "kind", "site_id", "grid_region", "start", "end", "mwh", "emission_factor",
               "renewable", "certificate_ref"], pkg.instruments)
    write_csv(os.path.join(out, "factors.csv"),
              ["factor_set", "key", "region", "year", "quantity", "value", "unit", "source", "confidence"],
              [dict(factor_set=USER_SET, key=k, region="*", year="*", quantity="CO2e", value=v, unit=u,
                    source=src, confidence="unconfirmed") for k, (v, u, src) in S3_FACTORS.items()])
    write_csv(os.path.join(out, "disclosures.csv"), ["year", "metric", "category", "value", "unit", "evidence"],
              disclosure_rows())
    write_csv(os.path.join(out, "workforce.csv"), ["year", "measure", "dimension", "category", "value"],
              workforce_rows())
    write_csv(os.path.join(out, "targets.csv"),
              ["target_id", "metric", "kind", "base_year", "base_value", "target_year", "target_value", "note"],
              TARGETS)
    print(f"wrote {len(pkg.acts)} activity rows, {len(pkg.instruments)} instruments to {out}")


if __name__ == "__main__":
    main()
