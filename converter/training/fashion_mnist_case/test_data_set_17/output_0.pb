
BprobabilitiesJ(Ì¯:˛da:{j=êQ9≤˚/?Ãk8Â˜Ä>PB•6Uj‡:o‹j8