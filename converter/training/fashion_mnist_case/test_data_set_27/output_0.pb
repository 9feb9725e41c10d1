
BprobabilitiesJ(‡î<?
jœ9ˆMÞ;¾<:ÂŒ9ö#7ý&{>E‘#86”˜9Îs<7