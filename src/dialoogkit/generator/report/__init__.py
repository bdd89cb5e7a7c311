"""The report after a session: the dot-vote heat map as a display list, and the stories of the
report (``verslag.pdf``) and of the letters to each addressee."""
