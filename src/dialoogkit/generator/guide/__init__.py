"""The facilitator guide (A4): styles, flowables and the story, built with reportlab platypus.
Every text from a deck or a guide file is escaped before it enters a Paragraph."""
