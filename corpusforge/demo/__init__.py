"""The embedded demo sample: articles the project ships, and the generator of a WARC from them."""
