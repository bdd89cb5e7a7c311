"""The A3 canvases (posters): a lesson canvas per lesson, an overview, a pillars and an action plan
canvas, composed as display lists in A3 points (scaled as vector for larger sizes)."""
