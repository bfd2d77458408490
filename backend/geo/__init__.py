"""Places: the Länder, the gazetteer, geocoding, distances, resolving a location."""
