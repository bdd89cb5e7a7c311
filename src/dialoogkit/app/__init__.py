"""APPLICATION: what the product offers, written once for every face. The choices of a build as
data (``choices``), checking a deck, building its kit with the build's notes, drawing a card face
as an image, and the results and report of a session. The command line (``cli``) and the studio
(``studio``) only translate their input into calls of this layer and its answers into their
output; the four parts (cards, layouts, generator, output) know nothing of it. A service that works
on a deck speaks the deck's language inside (``i18n.speaking_deck``) and returns it with its
answer; a face sets the language of its own words from that answer, never the loader."""
