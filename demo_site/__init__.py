"""The demo snapshot: our own pages in the shape of the county's kb5 sites, and a server for them."""
