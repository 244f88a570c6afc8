"""The demo company (``salesops demo``, ``salesops manage load_demo``): the top layer, above every app.

``company`` loads the company, its staff and master data, expense documents and (``deals``) the deals
in every state, through the apps' own services.
"""
