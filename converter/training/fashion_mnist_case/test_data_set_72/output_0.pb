
BprobabilitiesJ(˜K
;H{5uù}?P>6x±v9ß¡ý3wA¶;9Sô3SKÕ4çùÅ4