import joblib
import mlflow

churn = mlflow.pyfunc.load_model("models:/churn/Production")
scaler = joblib.load("artifacts/model.pkl")
