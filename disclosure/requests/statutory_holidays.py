"""The statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision, in force from 2025),
for years whose State Council notice nobody has entered yet (DOMAIN.md, "Working days").

元旦 1 January; 春节 4 days from 除夕; 清明 the day of the 清明 solar term; 劳动节 1–2 May;
端午 lunar 5/5; 中秋 lunar 8/15; 国庆 1–3 October. The notice adds bridging days and 调休
make-up working days, which cannot be derived; a deadline counted on these days alone is
provisional.

Lunar dates come from `lunardate` (the Hong Kong Observatory's tables, 1900–2099). The solar
term is computed from the Sun's apparent geocentric longitude (Meeus, *Astronomical
Algorithms*, 2nd ed., ch. 25, accurate to about 0.01°, i.e. a quarter of an hour): 清明 is the
day, in Beijing time (UTC+8), on which that longitude reaches 15°."""

import datetime as dt
import math

from lunardate import LunarDate

# The revision these rules come from took effect on 1 January 2025 (国务院令第795号).
FIRST_YEAR = 2025
LAST_YEAR = 2099  # lunardate's tables end here

J2000 = 2451545.0  # Julian ephemeris day of 2000-01-01 12:00 TT
J2000_MOMENT = dt.datetime(2000, 1, 1, 12, 0)
BEIJING = dt.timedelta(hours=8)
QINGMING_LONGITUDE = 15.0
TROPICAL_YEAR_DAYS = 365.2422


def _apparent_solar_longitude(jde: float) -> float:
    """The Sun's apparent longitude in degrees, 0–360, at Julian ephemeris day `jde` (Meeus 25.2–25.8)."""
    t = (jde - J2000) / 36525
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    anomaly = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000289 * math.sin(3 * anomaly)
    )
    node = math.radians(125.04 - 1934.136 * t)
    return (mean_longitude + centre - 0.00569 - 0.00478 * math.sin(node)) % 360


def _delta_t_seconds(year: int) -> float:
    """TT − UT (Espenak & Meeus polynomials); about 70 s now, a few minutes by 2100."""
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t * t
    u = (year - 1820) / 100
    return -20 + 32 * u * u - 0.5628 * (2150 - year)


def solar_term_moment(year: int, longitude: float) -> dt.datetime:
    """The moment (UTC, naive) in `year` at which the Sun's apparent longitude reaches `longitude`."""
    # Start from the mean date (the longitude is reached about this many days after the March equinox).
    march_equinox = dt.datetime(year, 3, 20, 12) - J2000_MOMENT
    jde = J2000 + march_equinox.total_seconds() / 86400 + ((longitude % 360) / 360) * TROPICAL_YEAR_DAYS
    for _ in range(50):
        difference = (longitude - _apparent_solar_longitude(jde) + 180) % 360 - 180
        jde += difference * TROPICAL_YEAR_DAYS / 360
        if abs(difference) < 1e-7:
            break
    return J2000_MOMENT + dt.timedelta(days=jde - J2000, seconds=-_delta_t_seconds(year))


def qingming(year: int) -> dt.date:
    """The 清明 holiday: the Beijing-time day of the 清明 solar term (4 or 5 April)."""
    return (solar_term_moment(year, QINGMING_LONGITUDE) + BEIJING).date()


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days off the 2024 rules fix for `year`, with their names; empty outside the years they cover."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return {}
    new_year_eve = _lunar(year, 1, 1) - dt.timedelta(days=1)
    named = [
        (dt.date(year, 1, 1), "元旦"),
        *((new_year_eve + dt.timedelta(days=n), "春节") for n in range(4)),
        (qingming(year), "清明节"),
        *((dt.date(year, 5, day), "劳动节") for day in (1, 2)),
        (_lunar(year, 5, 5), "端午节"),
        (_lunar(year, 8, 15), "中秋节"),
        *((dt.date(year, 10, day), "国庆节") for day in (1, 2, 3)),
    ]
    days: dict[dt.date, str] = {}
    for day, name in sorted(named):
        # 中秋 can fall inside 国庆 (2028-10-03): one day off, both names.
        days[day] = f"{days[day]}、{name}" if day in days else name
    return days
