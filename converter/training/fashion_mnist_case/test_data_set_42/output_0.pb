
BprobabilitiesJ(ьђ?]ZO:[™<ок=•Iз;RИ)8уЎ>ZNF9Чѓт:‚~Ђ8