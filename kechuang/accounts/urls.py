from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/roles/", views.UserRolesView.as_view(), name="user_roles"),
    path("users/<int:pk>/lock/", views.UserLockView.as_view(lock=True), name="user_lock"),
    path("users/<int:pk>/unlock/", views.UserLockView.as_view(lock=False), name="user_unlock"),
    path("users/<int:pk>/deactivate/", views.UserActiveView.as_view(active=False),
         name="user_deactivate"),
    path("users/<int:pk>/activate/", views.UserActiveView.as_view(active=True),
         name="user_activate"),
    path("roles/", views.RoleListView.as_view(), name="role_list"),
    path("roles/<int:pk>/scope/", views.RoleScopeView.as_view(), name="role_scope"),
]
