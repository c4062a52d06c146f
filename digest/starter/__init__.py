"""The starter config that ``digest init`` writes (package data)."""
