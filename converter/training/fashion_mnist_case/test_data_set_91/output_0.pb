
BprobabilitiesJ(Ϊ>—:Έόβ:π„΄7)/?Μ―5g'59Άyσ5/@M4‹‚l5