
BprobabilitiesJ(ΙO9†T6βA :Γ9+ιf;ξη 5LΤ~?l­5μ„ι7lK6