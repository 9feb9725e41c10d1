
BprobabilitiesJ(<ûº;€¤89úrh?ÚP^:À =ap7I”¤;(÷88Ìé:€	49