"""DRAWING: turns content and geometry into drawn pieces. Text fitting (measures, never draws),
QR symbols, icons, colours and card faces. May import cards and layouts, never output."""
