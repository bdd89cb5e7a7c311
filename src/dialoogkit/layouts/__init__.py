"""GEOMETRY: where things go. Card, sheet and canvas formats, print profiles and imposition, as
pure functions on numbers (millimetres and points). Imports nothing from the other parts."""
