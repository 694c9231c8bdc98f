from django.urls import path

from service import views

urlpatterns = [
    path("healthz", views.healthz),
    path("api/signup", views.SignupView.as_view()),        # Pydantic -> 422
    path("api/orders", views.OrderView.as_view()),         # DRF serializer -> 400
    path("api/inventory", views.InventoryView.as_view()),  # flaky upstream -> 502
    path("reports/average", views.average_order_value),    # ZeroDivisionError -> middleware 500.html
    path("reports/legacy", views.legacy_export),           # unhandled -> handler500
    # Anything else: Http404 -> handler404
]

handler404 = "service.views.handler404"
handler500 = "service.views.handler500"
