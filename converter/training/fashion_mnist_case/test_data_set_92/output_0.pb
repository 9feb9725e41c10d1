
BprobabilitiesJ(T›G:Q–5ÀÜÁ;l=8C“Ì:¶`Ö4?à}?p™¾5Á¡6ç³Â6