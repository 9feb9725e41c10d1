
BprobabilitiesJ(ò®!<‹Ñ‹7\X9ÀHÛ9'|¬7—¡U8F‘@<’zñ6ÒFz?C^‚7