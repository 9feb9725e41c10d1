
BprobabilitiesJ(leû;…Û8j{?êt47‡ã;ÃMÉ4ä„<â5Ó16&&≈4