
BprobabilitiesJ(.~9x.#7А,z?Б╪7иа :&Й45│<(л~5йы4╢8b5