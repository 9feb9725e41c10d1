
BprobabilitiesJ(ñ·,:Œ¯ö7­>Ï8
‡Ú5YÕ7*jþ9¦üR:´.—65u?Nm7