# SPDX-License-Identifier: AGPL-3.0-or-later
"""Invented, realistic-looking table data for the table-extraction corpus (nothing is downloaded).

Each theme takes a random.Random and a row count and returns (header, rows): lists of strings, the
text exactly as the HTML generator prints it. Spreadsheet sheets use `numeric_rows` instead, which
keeps numbers as numbers with a format code (see make_corpus.format_number)."""

COUNTRIES = ["Norway", "Portugal", "Chile", "Kenya", "Vietnam", "Canada", "Morocco", "Finland", "Peru", "Ghana",
             "Austria", "Uruguay", "Malaysia", "Iceland", "Jordan", "Estonia", "Bolivia", "Senegal", "Ireland",
             "Mongolia", "Panama", "Croatia", "Nepal", "Tunisia", "Latvia", "Ecuador", "Zambia", "Greece"]
CAPITALS = {"Norway": "Oslo", "Portugal": "Lisbon", "Chile": "Santiago", "Kenya": "Nairobi", "Vietnam": "Hanoi",
            "Canada": "Ottawa", "Morocco": "Rabat", "Finland": "Helsinki", "Peru": "Lima", "Ghana": "Accra",
            "Austria": "Vienna", "Uruguay": "Montevideo", "Malaysia": "Kuala Lumpur", "Iceland": "Reykjavík",
            "Jordan": "Amman", "Estonia": "Tallinn", "Bolivia": "Sucre", "Senegal": "Dakar", "Ireland": "Dublin",
            "Mongolia": "Ulaanbaatar", "Panama": "Panama City", "Croatia": "Zagreb", "Nepal": "Kathmandu",
            "Tunisia": "Tunis", "Latvia": "Riga", "Ecuador": "Quito", "Zambia": "Lusaka", "Greece": "Athens"}
CITIES = ["Bergen", "Porto", "Valparaíso", "Mombasa", "Da Nang", "Calgary", "Fès", "Tampere", "Cusco", "Kumasi",
          "Graz", "Salto", "Penang", "Akureyri", "Aqaba", "Tartu"]
PRODUCTS = ["Steel bracket", "Copper wire 2 mm", "Hex bolt M8", "Cable tie pack", "LED panel", "Ball bearing",
            "Hinge, brass", "Wood screw 4x40", "Pipe clamp", "Washer M10", "Relay 24 V", "Fuse 5 A", "Gasket",
            "Drill bit 6 mm", "Sealant tube", "Spring pin", "Toggle switch", "Terminal block"]
TEAMS = ["Harbour City", "North Vale", "Riverside", "Old Mill", "Kingsbridge", "Westfield", "Ashford United",
         "Lakeside Rovers", "Greenhill", "Eastport", "St. Clement", "Highmoor"]
PEOPLE = ["Ada Lindqvist", "Bruno Alves", "Chen Wei", "Dora Novak", "Emeka Obi", "Fatima Zahra", "Gustav Berg",
          "Hana Kobayashi", "Ivan Petrov", "Julia Costa", "Kofi Mensah", "Lena Müller", "Marco Rossi", "Nadia Haddad",
          "Oscar Nilsson", "Priya Nair", "Quentin Roy", "Rosa Jiménez", "Sami Laine", "Tara O'Neill"]
DEPARTMENTS = ["Finance", "Logistics", "Research", "Sales", "Legal", "Facilities", "Support", "Marketing"]
TESTS = [("Haemoglobin", "g/dL", "13.0 – 17.0"), ("White cells", "10^9/L", "4.0 – 11.0"),
         ("Platelets", "10^9/L", "150 – 400"), ("Sodium", "mmol/L", "135 – 145"), ("Potassium", "mmol/L", "3.5 – 5.1"),
         ("Creatinine", "µmol/L", "60 – 110"), ("Glucose", "mmol/L", "3.9 – 5.6"), ("ALT", "U/L", "7 – 56"),
         ("Cholesterol", "mmol/L", "< 5.2"), ("TSH", "mU/L", "0.4 – 4.0")]
TOPICS = ["Scaling a message queue beyond one region", "What we learned migrating billing to event sourcing",
          "Accessible charts for everyone", "A gentle introduction to property based testing",
          "Observability on a shoestring budget", "Designing APIs that age well", "Memory safety in legacy code",
          "Incident reviews without blame", "Search relevance tuning in practice", "Cold starts and how to avoid them"]


def money(value, symbol="$"):
    """-1234.5 -> -$1,234.50"""
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.2f}"


def paren(value, decimals=0):
    """Accounting style: -1234 -> (1,234)."""
    text = f"{abs(value):,.{decimals}f}"
    return f"({text})" if value < 0 else text


def countries(rng, n):
    header = ["Country", "Capital", "Population", "Area (km²)", "GDP (USD bn)", "Growth %"]
    rows = []
    for name in rng.sample(COUNTRIES, n):
        rows.append([name, CAPITALS[name], f"{rng.randint(300_000, 99_000_000):,}", f"{rng.randint(20_000, 1_300_000):,}",
                     f"{rng.uniform(5, 2200):,.1f}", f"{rng.uniform(-3.5, 7.5):.1f}"])
    return header, rows


def invoice(rng, n):
    header = ["Item", "Description", "Qty", "Unit price", "Amount"]
    rows = []
    for index, product in enumerate(rng.sample(PRODUCTS, n), 1):
        quantity, price = rng.randint(1, 250), rng.uniform(0.4, 950)
        rows.append([f"{index:03d}", product, str(quantity), money(price), money(quantity * round(price, 2))])
    return header, rows


def timetable(rng, n):
    stops = rng.sample(CITIES, n)
    trains = [f"IC {rng.randint(100, 999)}" for _ in range(5)]
    header = ["Station"] + trains
    rows, start = [], [rng.randint(5 * 60, 20 * 60) for _ in trains]
    for index, stop in enumerate(stops):
        row = [stop]
        for column, minutes in enumerate(start):
            skip = index not in (0, len(stops) - 1) and rng.random() < 0.15
            minute = minutes + index * 23 + column
            row.append("" if skip else f"{minute // 60 % 24:02d}:{minute % 60:02d}")
        rows.append(row)
    return header, rows


def inventory(rng, n):
    header = ["SKU", "Product", "Warehouse", "In stock", "Reorder at", "Unit cost"]
    rows = []
    for product in rng.sample(PRODUCTS, n):
        rows.append([f"{rng.choice('ABCKMT')}{rng.randint(10000, 99999)}", product, rng.choice(CITIES),
                     f"{rng.randint(0, 48_000):,}", str(rng.randint(10, 900)), money(rng.uniform(0.05, 300), "€")])
    return header, rows


def league(rng, n):
    header = ["Pos", "Team", "P", "W", "D", "L", "GF", "GA", "GD", "Pts"]
    rows = []
    for team in rng.sample(TEAMS, n):
        won, drawn = rng.randint(2, 20), rng.randint(0, 10)
        lost = 30 - won - drawn if won + drawn <= 30 else 0
        scored, against = rng.randint(15, 70), rng.randint(15, 70)
        rows.append([team, "30", str(won), str(drawn), str(lost), str(scored), str(against),
                     f"{scored - against:+d}", str(3 * won + drawn)])
    rows.sort(key=lambda row: -int(row[-1]))
    return header, [[str(index)] + row for index, row in enumerate(rows, 1)]


def weather(rng, n):
    header = ["City", "Month", "High °C", "Low °C", "Rain (mm)", "Sunshine (h)"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    rows = []
    for city in rng.sample(CITIES, n):
        high = rng.uniform(-6, 34)
        rows.append([city, rng.choice(months), f"{high:.1f}", f"{high - rng.uniform(4, 14):.1f}",
                     f"{rng.uniform(0, 320):.1f}", str(rng.randint(20, 360))])
    return header, rows


def directory(rng, n):
    header = ["Name", "Department", "Extension", "Email", "Room"]
    rows = []
    for person in rng.sample(PEOPLE, n):
        email = person.lower().replace(" ", ".").replace("'", "").replace("ü", "ue").replace("é", "e") + "@example.org"
        rows.append([person, rng.choice(DEPARTMENTS), f"{rng.randint(2000, 2999)}", email,
                     "" if rng.random() < 0.25 else f"{rng.choice('ABC')}-{rng.randint(100, 420)}"])
    return header, rows


def lab(rng, n):
    header = ["Test", "Result", "Units", "Reference range", "Flag"]
    rows = []
    for test, unit, reference in rng.sample(TESTS, n):
        flag = rng.choice(["", "", "", "H", "L"])
        rows.append([test, f"{rng.uniform(0.5, 300):.1f}", unit, reference, flag])
    return header, rows


def ledger(rng, n, year=2023):
    """Financial statement with accounting negatives; header has two years."""
    header = ["Line item", f"FY{year}", f"FY{year - 1}", "Change"]
    items = ["Revenue", "Cost of sales", "Gross profit", "Selling expenses", "Administrative expenses",
             "Research and development", "Other income", "Operating profit", "Finance costs", "Tax",
             "Profit for the year", "Dividends paid", "Capital expenditure", "Depreciation"]
    rows = []
    for item in items[:n]:
        now, before = rng.randint(-90_000, 400_000), rng.randint(-90_000, 400_000)
        rows.append([item, paren(now), paren(before), paren(now - before)])
    return header, rows


def budget(rng, n):
    header = ["Department", "Q1", "Q2", "Q3", "Q4", "Total"]
    rows = []
    for department in rng.sample(DEPARTMENTS, n):
        quarters = [rng.randint(-20_000, 250_000) for _ in range(4)]
        rows.append([department] + [f"{value:,}" for value in quarters] + [f"{sum(quarters):,}"])
    return header, rows


def sessions(rng, n):
    """Conference programme: long titles that wrap inside their cell."""
    header = ["Time", "Room", "Session", "Speaker"]
    rows, minute = [], 9 * 60
    for topic in rng.sample(TOPICS, n):
        rows.append([f"{minute // 60:02d}:{minute % 60:02d}", f"Hall {rng.choice('ABC')}", topic, rng.choice(PEOPLE)])
        minute += rng.choice([30, 45, 60])
    return header, rows


def transactions(rng, n):
    """Bank statement lines for long tables: unique references, signed amounts, running balance."""
    header = ["Date", "Reference", "Description", "Amount", "Balance"]
    payees = ["Grocer", "Rent", "Salary", "Electricity", "Bookshop", "Pharmacy", "Train ticket", "Café", "Insurance",
              "Water bill", "Hardware store", "Refund"]
    rows, balance, day = [], rng.uniform(1000, 5000), 1
    for index in range(n):
        amount = rng.choice([-1, -1, -1, 1]) * rng.uniform(3, 1800)
        balance += round(amount, 2)
        day += rng.choice([0, 1, 1, 2])
        rows.append([f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}", f"TX{100000 + index * 7:06d}", rng.choice(payees),
                     f"{amount:,.2f}", f"{balance:,.2f}"])
    return header, rows


THEMES = [countries, invoice, timetable, inventory, league, weather, directory, lab, ledger, budget]
