"""URL and domain filtering: blocklists with a reason per match, allow-lists, TLD hints.

>>> from corpusforge.urlfilter import UrlFilter
>>> f = UrlFilter.load(ut1=False)
>>> f.check("https://www.pornhub.com/x"), f.check("https://www.gva.es/va/inici")
('blocked_domain', None)
"""

from corpusforge.urlfilter.matcher import UrlFilter, host_of, tld_hint

__all__ = ["UrlFilter", "host_of", "tld_hint"]
