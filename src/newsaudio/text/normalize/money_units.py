"""Money, percentages and units after a number."""

from __future__ import annotations

import re

from newsaudio.text.normalize._common import (
    _NUM,
    _SCALE_WORDS,
    _cardinal,
    _integer,
    _quantity,
)

#: Units read after a number: symbol -> (singular, plural). Case-sensitive.
UNITS: dict[str, tuple[str, str]] = {
    "km": ("kilometer", "kilometers"),
    "m": ("meter", "meters"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "km²": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "m³": ("cubic meter", "cubic meters"),
    "sq km": ("square kilometer", "square kilometers"),
    "sq m": ("square meter", "square meters"),
    "sq mi": ("square mile", "square miles"),
    "sq ft": ("square foot", "square feet"),
    "sq yd": ("square yard", "square yards"),
    "sq in": ("square inch", "square inches"),
    "cu m": ("cubic meter", "cubic meters"),
    "cu ft": ("cubic foot", "cubic feet"),
    "cu yd": ("cubic yard", "cubic yards"),
    "cu in": ("cubic inch", "cubic inches"),
    "ha": ("hectare", "hectares"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "yds": ("yard", "yards"),
    "mi": ("mile", "miles"),
    "mph": ("mile per hour", "miles per hour"),
    "mpg": ("mile per gallon", "miles per gallon"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kmh": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "m/s": ("meter per second", "meters per second"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "gal": ("gallon", "gallons"),
    "qt": ("quart", "quarts"),
    "tsp": ("teaspoon", "teaspoons"),
    "tbsp": ("tablespoon", "tablespoons"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "° C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "° F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "W": ("watt", "watts"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"),
    "TWh": ("terawatt hour", "terawatt hours"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
}


# Currency symbol -> (singular, plural, minor singular, minor plural); minor "" = none.
_CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("U S dollar", "U S dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "S$": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
    "₺": ("lira", "lira", "kurus", "kurus"),
    "₪": ("shekel", "shekels", "agora", "agorot"),
}


_CURRENCY_ALT = "|".join(re.escape(symbol) for symbol in sorted(_CURRENCIES, key=len, reverse=True))
_CURRENCY_RE = re.compile(
    rf"(?<![\w$])(?P<sign>-)?(?P<cur>{_CURRENCY_ALT})\s?(?P<num>{_NUM})"
    r"(?:\s?(?P<word>thousand|million|billion|trillion)|(?P<abbr>bn|mn|tn|k|K|m|M|b|B))?"
    r"(?:/(?P<per>[A-Za-z]+))?(?![\w])"
)


def _say_currency(match: re.Match[str]) -> str:
    """Return an amount of money read aloud: '$1.2bn' -> 'one point two billion dollars'."""
    one, many, minor_one, minor_many = _CURRENCIES[match["cur"]]
    number = match["num"]
    sign = "minus " if match["sign"] else ""
    per = f" per {_per_unit(match['per'])}" if match["per"] else ""  # "$3.50/gallon", "/oz"
    scale = match["word"] or match["abbr"]
    if scale:
        return f"{sign}{_quantity(number)} {_SCALE_WORDS[scale]} {many}{per}"
    whole, _, cents = number.partition(".")
    if len(cents) == 2 and minor_one:
        major, minor = int(whole.replace(",", "")), int(cents)
        parts = []
        if major or not minor:
            parts.append(f"{_integer(whole)} {one if major == 1 else many}")
        if minor:
            parts.append(f"{_cardinal(minor)} {minor_one if minor == 1 else minor_many}")
        return sign + " and ".join(parts) + per
    return f"{sign}{_quantity(number)} {one if number == '1' else many}{per}"


def _per_unit(word: str) -> str:
    """The unit after a slash in words: 'oz' -> 'ounce', 'kg' -> 'kilogram', 'day' -> 'day'."""
    return UNITS[word][0] if word in UNITS else word


_PENCE_RE = re.compile(rf"(?<![\w.,£$€])(?P<num>{_NUM})p(?![\w])")


def _say_pence(match: re.Match[str]) -> str:
    """Return pence read aloud: '50p' -> 'fifty pence', '1p' -> 'one penny'."""
    number = match["num"]
    return f"{_quantity(number)} {'penny' if number == '1' else 'pence'}"


def _expand_currency(text: str) -> str:
    """Read money: $10 -> ten dollars, £40m -> forty million pounds, $1.50, €3, 50p, 412.5p."""
    text = _CURRENCY_RE.sub(_say_currency, text)
    return _PENCE_RE.sub(_say_pence, text)


_SIGN = r"(?P<sign>(?<![\w)\].,:/])[-+±])?"
_SIGN_WORDS = {"-": "minus ", "+": "plus ", "±": "plus or minus ", None: ""}
_PERCENT_RE = re.compile(rf"{_SIGN}(?<![\w.,/])(?P<num>{_NUM})\s?%")


def _expand_percentages(text: str) -> str:
    """Read percentages: 45% -> forty-five percent, 3.5% -> three point five percent."""
    if "%" not in text:
        return text
    return _PERCENT_RE.sub(lambda m: f"{_SIGN_WORDS[m['sign']]}{_quantity(m['num'])} percent", text)


_UNIT_ALT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
_UNIT_RE = re.compile(
    rf"{_SIGN}(?<![\w.,/])(?P<num>{_NUM})(?:\s?(?P<scale>thousand|million|billion))?"
    rf"\s?(?P<unit>{_UNIT_ALT})(?:/(?P<per>[A-Za-z]+)(?![\w/]))?(?![\w/²³])"
    r"(?:\.(?=\s+[a-z]))?"
)
# British style "40C": a C or F glued to the number is a temperature.
_GLUED_TEMPERATURE_RE = re.compile(rf"{_SIGN}(?<![\w.,/])(?P<num>{_NUM})(?P<unit>[CF])(?![\w])")
_GLUED_TEMPERATURE_UNITS = {"C": "°C", "F": "°F"}


def _say_unit(match: re.Match[str]) -> str:
    """Return a measurement read aloud: '5 km' -> 'five kilometers'."""
    symbol = _GLUED_TEMPERATURE_UNITS.get(match["unit"], match["unit"])
    one, many = UNITS[symbol]
    number = match["num"]
    scale = match.groupdict().get("scale")
    amount = _quantity(number) + (f" {scale}" if scale else "")
    unit = one if number == "1" and not scale else many
    per = f" per {_per_unit(match['per'])}" if match.groupdict().get("per") else ""  # "5 mg/day"
    return f"{_SIGN_WORDS[match['sign']]}{amount} {unit}{per}"


# "1.5m people": an "m" glued to a number is million before a word, except one that
# measures (tall, long, high...) or a sport's distance (sprint, freestyle...).
_MILLION_M_RE = re.compile(
    rf"(?<![\w.,/])(?P<num>{_NUM})m(?= (?!(?:tall|long|high|deep|wide|away|above|below|down|up"
    r"|under|across|in|of|from|to|sprint|race|dash|freestyle|backstroke|breaststroke|butterfly"
    r"|medley|hurdles|relay|final|heat|metres?|meters?|squared|square|cubed)\b)[a-z])"
)


# "sq. ft.", "cu. m": the dotted spelling of the square and cubic units.
_DOTTED_AREA_RE = re.compile(r"(?<![\w.])(sq|cu)\.\s?(?=(?:km|mi|ft|yd|in|m)\b)")
# "a 5-lb bag", "a 12-oz steak": a number joined to its unit by a hyphen is an adjective,
# read with the unit in the singular ("a five-pound bag").
_HYPHEN_UNIT_RE = re.compile(
    rf"(?<![\w.,/-])(?P<num>{_NUM})-(?P<unit>{_UNIT_ALT})\.?(?![\w/²³-])(?=\s+[a-z])"
)
# "6 ft. 2 in.": inches only after feet ("in" alone is a preposition).
_FEET_INCHES_RE = re.compile(
    rf"(?<![\w.,/])(?P<ft>{_NUM})\s?(?:ft|feet)\.?\s+(?P<in>[0-9]{{1,2}})\s?in(?:\.(?=\s+[a-z])|\b)"
)


def _say_feet_inches(match: re.Match[str]) -> str:
    """Return '6 ft. 2 in.' as 'six feet two inches'."""
    inches = match["in"]
    return (
        f"{_quantity(match['ft'])} {'foot' if match['ft'] == '1' else 'feet'} "
        f"{_quantity(inches)} {'inch' if inches == '1' else 'inches'}"
    )


def _expand_units(text: str) -> str:
    """Read units after numbers: 5 km, -4°C, 2m tall, 6 ft. 2 in.; '1.5m people' is a million."""
    if "sq." in text or "cu." in text:
        text = _DOTTED_AREA_RE.sub(r"\1 ", text)
    text = _FEET_INCHES_RE.sub(_say_feet_inches, text)
    text = _HYPHEN_UNIT_RE.sub(lambda m: f"{_quantity(m['num'])}-{UNITS[m['unit']][0]}", text)
    text = _MILLION_M_RE.sub(lambda m: f"{m['num']} million", text)
    text = _UNIT_RE.sub(_say_unit, text)
    return _GLUED_TEMPERATURE_RE.sub(_say_unit, text)


# "per lb", "per sq ft", "per kWh": a unit symbol of two letters or more after "per" (a
# single letter, "per m", is too ambiguous); a period after it that does not end the
# utterance is the abbreviation's ("$4 per lb. for beef").
_PER_UNITS = "|".join(
    re.escape(unit)
    for unit in sorted(UNITS, key=len, reverse=True)
    if len(unit) > 1 and unit[0].isalpha()
)
_PER_UNIT_RE = re.compile(
    rf"\b(?P<per>[Pp]er) (?P<unit>{_PER_UNITS})(?![\w/²³])(?:\.(?=\s+[a-z0-9]))?"
)


def _expand_per_units(text: str) -> str:
    """Read a unit symbol after "per" as its name: '$4 per lb.' -> '... per pound.'."""
    if "per " not in text and "Per " not in text:
        return text
    return _PER_UNIT_RE.sub(lambda m: f"{m['per']} {UNITS[m['unit']][0]}", text)
