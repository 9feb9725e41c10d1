
BprobabilitiesJ(wf2Åæ5.uZ3·w©31ì;3}/7é12üö?‹g©2£¾9