
BprobabilitiesJ(‹l≤8†€È7Ü8l<∞67¸{?8Qæ3X’ï:≤´54ò?B4bû;3