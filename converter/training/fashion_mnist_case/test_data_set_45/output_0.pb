
BprobabilitiesJ(!ª1¿-4ÛV"3T≠ã33û1í≥7jq’0kΩ}?íUà4I<