print("toolguard")
