print("proforma-bench")
