
BprobabilitiesJ(ҐБ‰6въ?Њж5ЪЃЂ8O·м6FF;4)46¦2R5WUJ4ўжЅ3