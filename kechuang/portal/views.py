"""The portal (一网): public browsing of published demands and achievements, self-service for
enterprises, experts and institutes, and the staff review queue. Reads published records or
``restrict``-ed querysets; writes only through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from kechuang.accounts.scope import has_own_scope_only
from kechuang.achievements import services as achievement_services
from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.models import Achievement
from kechuang.achievements.techfields import TechField
from kechuang.carriers import services as carrier_services
from kechuang.carriers.models import Carrier
from kechuang.core.errors import first_messages
from kechuang.core.filtering import search_text
from kechuang.core.money import format_amount
from kechuang.demands import services as demand_services
from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import TechDemand
from kechuang.enterprises import services as enterprise_services
from kechuang.enterprises.models import Enterprise
from kechuang.experts import services as expert_services
from kechuang.experts.choices import ExpertStatus
from kechuang.experts.models import Expert
from kechuang.matching import classifier, search
from kechuang.matching import services as matching
from kechuang.matching.choices import SourceKind, TargetKind
from kechuang.matching.documents import achievement_queryset, demand_queryset
from kechuang.regions.models import Region

from .forms import (
    AchievementPostForm,
    ClaimCarrierForm,
    ClaimEnterpriseForm,
    ClaimExpertForm,
    DemandPostForm,
    RegisterExpertForm,
)

PAGE = 20


def _errors(exc: ValidationError) -> str:
    return "；".join(first_messages(exc).values())


def _search(kind: str, queryset, request):
    """Free-text search through the engine (falls back to the latest when no query)."""
    q = search_text(request.GET.get("q") or "", limit=2000)
    field = request.GET.get("field") or ""
    if field in TechField.values:
        queryset = queryset.filter(field=field)
    if not q.strip():
        return list(queryset.order_by("-published_at", "-id")[:200]), "", q
    check = search.check_query(q)
    if not check.text:
        return [], check.message, q
    facets = {"field": [field]} if field in TechField.values else None
    hits = search.search(kind, q, top_k=100, filters=facets)
    objs = {o.pk: o for o in queryset.filter(pk__in=[int(h.id) for h in hits if h.id.isdigit()])}
    items = [objs[int(h.id)] for h in hits if h.id.isdigit() and int(h.id) in objs]
    return items, check.message or ("" if items else "没有找到相关内容，请换个说法试试"), q


@method_decorator(login_not_required, name="dispatch")
class HomeView(View):
    def get(self, request):
        return render(request, "portal/home.html", {
            "demands": demand_queryset().select_related("enterprise")
            .order_by("-published_at", "-id")[:6],
            "achievements": achievement_queryset().order_by("-published_at", "-id")[:6],
            "counts": {
                "demands": demand_queryset().count(),
                "achievements": achievement_queryset().count(),
                "experts": Expert.objects.filter(status=ExpertStatus.ACTIVE).count(),
                "carriers": Carrier.objects.filter(is_active=True).count(),
            },
        })


@method_decorator(login_not_required, name="dispatch")
class DemandBrowseView(View):
    def get(self, request):
        items, message, q = _search("demand", demand_queryset().select_related("enterprise"),
                                    request)
        page = Paginator(items, PAGE).get_page(request.GET.get("page"))
        return render(request, "portal/demand_list.html", {
            "page": page, "message": message, "q": q, "fields": TechField.choices,
            "field": request.GET.get("field", "")})


@method_decorator(login_not_required, name="dispatch")
class DemandPublicView(View):
    def get(self, request, pk):
        demand = get_object_or_404(demand_queryset().select_related("enterprise"), pk=pk)
        budget = format_amount(demand.budget) if demand.budget is not None else "面议"
        return render(request, "portal/demand_detail.html", {"demand": demand,
                                                             "budget": budget})


@method_decorator(login_not_required, name="dispatch")
class AchievementBrowseView(View):
    def get(self, request):
        items, message, q = _search("achievement", achievement_queryset(), request)
        page = Paginator(items, PAGE).get_page(request.GET.get("page"))
        return render(request, "portal/achievement_list.html", {
            "page": page, "message": message, "q": q, "fields": TechField.choices,
            "field": request.GET.get("field", "")})


@method_decorator(login_not_required, name="dispatch")
class AchievementPublicView(View):
    def get(self, request, pk):
        obj = get_object_or_404(achievement_queryset(), pk=pk)
        price = format_amount(obj.price) if obj.price is not None else "面议"
        return render(request, "portal/achievement_detail.html", {"obj": obj, "price": price})


def _my_enterprises(user):
    return Enterprise.objects.filter(Enterprise.scope_own_q(user))


def _my_carriers(user):
    return Carrier.objects.filter(members=user)


class MySpaceView(View):
    """"我的": what I posted, its status, and what kechuang recommends for me."""

    def get(self, request):
        user = request.user
        enterprises = list(_my_enterprises(user))
        expert = Expert.objects.filter(user=user).first()
        carriers = list(_my_carriers(user))
        demands = list(TechDemand.objects.filter(enterprise__in=enterprises)
                       .order_by("-created_at")[:50]) if enterprises else []
        achievements = list(Achievement.objects.filter(
            Q(created_by=user) | Q(institution__in=carriers)).order_by("-created_at")[:50])
        recommendations = []
        for d in [d for d in demands if d.status in (DemandStatus.PUBLISHED,
                                                     DemandStatus.MATCHING)][:3]:
            recommendations.append((f"为需求“{d.title}”推荐的成果",
                                    matching.match_demand(d, TargetKind.ACHIEVEMENT,
                                                          top_k=3).suggestions))
            recommendations.append((f"为需求“{d.title}”推荐的专家",
                                    matching.match_demand(d, TargetKind.EXPERT,
                                                          top_k=3).suggestions))
        if expert is not None and expert.specialties:
            recommendations.append(("与您专业方向相关的需求", matching.rank(
                expert.specialties, TargetKind.DEMAND, source=expert,
                source_kind=SourceKind.ACHIEVEMENT, top_k=5).suggestions))
        recommendations.extend(
            (f"可能需要“{a.title}”的需求",
             matching.match_achievement(a, TargetKind.DEMAND, top_k=3).suggestions)
            for a in [a for a in achievements if a.status == AchievementStatus.PUBLISHED][:3])
        return render(request, "portal/mine.html", {
            "enterprises": enterprises, "expert": expert, "carriers": carriers,
            "demands": demands, "achievements": achievements,
            "recommendations": recommendations,
            "open_statuses": (DemandStatus.PUBLISHED, DemandStatus.MATCHING),
        })


class PostDemandView(View):
    def _enterprise(self, request):
        ent = _my_enterprises(request.user).first()
        if ent is None:
            return None
        return ent

    def get(self, request):
        ent = self._enterprise(request)
        if ent is None:
            messages.info(request, "请先认领您的企业")
            return redirect("portal:claim")
        return render(request, "portal/post.html", {"form": DemandPostForm(),
                                                    "title": f"发布技术需求（{ent.name}）",
                                                    "suggest": True})

    def post(self, request):
        ent = self._enterprise(request)
        if ent is None:
            return redirect("portal:claim")
        form = DemandPostForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("field"):
                guess = classifier.suggest_field(f"{data['title']} {data['description']}")
                if guess.fields:
                    data["field"] = guess.fields[0][0]
            try:
                demand_services.create_demand(actor=request.user, enterprise=ent, data=data)
            except ValidationError as exc:
                for key, msg in first_messages(exc).items():
                    form.add_error(key if key in form.fields else None, msg)
            else:
                messages.success(request, "需求已提交，科技局审核后发布")
                return redirect("portal:mine")
        return render(request, "portal/post.html", {"form": form, "title": "发布技术需求",
                                                    "suggest": True}, status=400)


class PostAchievementView(View):
    def get(self, request):
        if not request.user.has_perm("achievements.add_achievement"):
            raise PermissionDenied("您没有发布成果的权限")
        carrier = _my_carriers(request.user).first()
        form = AchievementPostForm(initial={"owner_name": carrier.name if carrier else ""})
        return render(request, "portal/post.html", {"form": form, "title": "发布科技成果",
                                                    "suggest": True})

    def post(self, request):
        if not request.user.has_perm("achievements.add_achievement"):
            raise PermissionDenied("您没有发布成果的权限")
        form = AchievementPostForm(request.POST)
        carrier = _my_carriers(request.user).first()
        expert = Expert.objects.filter(user=request.user).first()
        region = (carrier.region if carrier else expert.region if expert else
                  request.user.region or Region.objects.filter(is_home=True).first())
        if form.is_valid():
            data = {**form.cleaned_data, "region": region, "institution": carrier,
                    "owner_kind": "institute" if carrier else "person"}
            try:
                achievement_services.create_achievement(actor=request.user, data=data)
            except ValidationError as exc:
                for key, msg in first_messages(exc).items():
                    form.add_error(key if key in form.fields else None, msg)
            else:
                messages.success(request, "成果已提交，科技局审核后发布")
                return redirect("portal:mine")
        return render(request, "portal/post.html", {"form": form, "title": "发布科技成果",
                                                    "suggest": True}, status=400)


class ClaimView(View):
    """Claim an existing profile (proved by the phone on record) or register as an expert."""

    forms = {"enterprise": ClaimEnterpriseForm, "expert": ClaimExpertForm,
             "register": RegisterExpertForm, "carrier": ClaimCarrierForm}

    def get(self, request):
        return render(request, "portal/claim.html",
                      {"forms": {k: f() for k, f in self.forms.items()}})

    def post(self, request):
        kind = request.POST.get("kind", "")
        form_class = self.forms.get(kind)
        if form_class is None:
            return redirect("portal:claim")
        form = form_class(request.POST)
        ok = form.is_valid() and self._apply(request, kind, form)
        if ok:
            return redirect("portal:mine")
        forms = {k: f() for k, f in self.forms.items()}
        forms[kind] = form
        return render(request, "portal/claim.html", {"forms": forms, "active": kind},
                      status=400)

    def _apply(self, request, kind, form) -> bool:
        d, user = form.cleaned_data, request.user
        try:
            if kind == "enterprise":
                ent = Enterprise.objects.filter(uscc=d["uscc"].strip().upper()).first()
                if ent is None or not ent.contact_phone or \
                        ent.contact_phone.replace(" ", "") != d["contact_phone"].replace(" ", ""):
                    form.add_error(None, "统一社会信用代码与登记的联系电话不符，请联系科技局核实")
                    return False
                enterprise_services.link_enterprise_user(actor=user, enterprise=ent, user=user)
                messages.success(request, f"已认领{ent.name}")
            elif kind == "expert":
                exp = Expert.objects.filter(name=d["name"].strip(),
                                            phone=d["phone"].replace(" ", "")).first()
                if exp is None:
                    form.add_error(None, "未找到姓名与手机号码相符的专家档案，可直接自助登记")
                    return False
                expert_services.link_expert_user(actor=user, expert=exp, user=user)
                messages.success(request, "已认领专家档案")
            elif kind == "carrier":
                car = Carrier.objects.filter(name=d["name"].strip()).first()
                if car is None or not car.contact_phone or \
                        car.contact_phone.replace(" ", "") != d["contact_phone"].replace(" ", ""):
                    form.add_error(None, "机构名称与登记的联系电话不符，请联系科技局核实")
                    return False
                carrier_services.link_carrier_user(actor=user, carrier=car, user=user)
                messages.success(request, f"已认领{car.name}")
            else:
                region = user.region or Region.objects.filter(is_home=True).first()
                expert_services.register_expert(actor=user, data=d, region=region)
                messages.success(request, "专家档案已提交，科技局审核后入库")
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return False
        return True


def _reviews_experts(user) -> bool:
    """Staff who may admit self-registered experts. The 专家 role may change an expert too —
    its own profile only (仅本人), which it must not admit itself."""
    return user.has_perm("experts.change_expert") and not has_own_scope_only(user)


class ReviewQueueView(View):
    """Staff: everything waiting for review, in scope, with one-click publish/return."""

    def get(self, request):
        user = request.user
        if not (user.has_perm("demands.review_techdemand")
                or user.has_perm("achievements.review_achievement")
                or _reviews_experts(user)):
            raise PermissionDenied("您没有审核权限")
        pending = (DemandStatus.PENDING,)
        ctx = {
            "demands": TechDemand.objects.restrict(user, "change").filter(status__in=pending)
            .select_related("enterprise")[:100]
            if user.has_perm("demands.review_techdemand") else [],
            "achievements": Achievement.objects.restrict(user, "change")
            .filter(status=AchievementStatus.PENDING)[:100]
            if user.has_perm("achievements.review_achievement") else [],
            "experts": Expert.objects.restrict(user, "change")
            .filter(status=ExpertStatus.PENDING)[:100]
            if _reviews_experts(user) else [],
        }
        return render(request, "portal/review.html", ctx)

    def post(self, request):
        """Activate a pending expert (demands and achievements post to their own review)."""
        if not _reviews_experts(request.user):
            raise PermissionDenied("您没有审核权限")
        pk = request.POST.get("expert", "")
        expert = get_object_or_404(Expert.objects.restrict(request.user, "change"),
                                   pk=int(pk) if pk.isdigit() else 0)
        status = ExpertStatus.ACTIVE if request.POST.get("decision") == "approve" \
            else ExpertStatus.INACTIVE
        expert_services.set_expert_status(actor=request.user, expert=expert, status=status,
                                          note=request.POST.get("note", ""))
        messages.success(request, "已处理")
        return redirect("portal:review")
