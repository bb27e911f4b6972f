"""The landing page after log-in: the menu entries the user has, grouped."""

from django.shortcuts import render


def home(request):
    return render(request, "core/home.html", {"title": "首页"})
