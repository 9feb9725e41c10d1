
BprobabilitiesJ(eкЊ6ќ‚ш53Ы5±ЮЭ4ЁЫЎ4ґ¬Щ4Лy›6D‡f3я?sґ04