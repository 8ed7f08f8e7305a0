import google.generativeai as genai

pro = genai.GenerativeModel("gemini-1.5-pro-002")
flash = genai.GenerativeModel(model_name="models/gemini-1.5-flash")
