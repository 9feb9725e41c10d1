
BprobabilitiesJ(à´9¶>ŽRD9k~#?çt‚:V†9JÓM:H9j>@;3³&9