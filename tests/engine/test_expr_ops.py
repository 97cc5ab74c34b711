"""The scalar primitives of typed functions: values, VJP, JVP and Jacobian against finite differences."""

import math

import numpy as np
import pytest

from backprop_tui.engine import expr_ops, ops

EPS = 1e-6


def central(f, args, i):
    """∂f/∂args[i] by central differences, in plain floats."""
    plus, minus = list(args), list(args)
    plus[i] += EPS
    minus[i] -= EPS
    return (f(*plus) - f(*minus)) / (2 * EPS)


def sigmoid(a):
    return 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))


# (id, op, the same function in plain Python, a point inside its domain)
CASES = [
    ("neg", ops.neg, lambda a: -a, (0.7,)),
    ("sub", ops.sub, lambda a, b: a - b, (0.7, -1.3)),
    ("div", ops.div, lambda a, b: a / b, (0.7, -1.3)),
    ("pow", ops.power, lambda a, b: a**b, (1.7, -0.6)),
    ("pow-integer-exponent", ops.power, lambda a, b: a**b, (0.8, 3.0)),
    *((name, ops.FUNCTIONS[name], f, (0.4,)) for name, f in [
        ("exp", math.exp), ("log", math.log), ("sqrt", math.sqrt), ("sin", math.sin), ("cos", math.cos),
        ("tan", math.tan), ("tanh", math.tanh), ("sigmoid", sigmoid), ("relu", lambda a: max(a, 0.0)), ("abs", abs),
    ]),
    ("relu-negative", ops.FUNCTIONS["relu"], lambda a: max(a, 0.0), (-0.4,)),
    ("abs-negative", ops.FUNCTIONS["abs"], abs, (-0.4,)),
    ("sigmoid-large", ops.FUNCTIONS["sigmoid"], sigmoid, (-30.0,)),
    ("scale", expr_ops.scale(6.0, "6"), lambda a: 6 * a, (0.3,)),
    ("add_constant", expr_ops.add_constant(1.5, "1.5"), lambda a: a + 1.5, (0.3,)),
    ("add_constant-left", expr_ops.add_constant(1.5, "1.5", left=True), lambda a: 1.5 + a, (0.3,)),
    ("subtract_constant", expr_ops.subtract_constant(2.0, "2"), lambda a: a - 2, (0.3,)),
    ("constant_minus", expr_ops.constant_minus(2.0, "2"), lambda a: 2 - a, (0.3,)),
    ("divide_by", expr_ops.divide_by(4.0, "4"), lambda a: a / 4, (0.3,)),
    ("constant_over", expr_ops.constant_over(6.0, "6"), lambda a: 6 / a, (0.3,)),
    ("power_of-2", expr_ops.power_of(2.0, "2"), lambda a: a**2, (-0.3,)),
    ("power_of-3", expr_ops.power_of(3.0, "3"), lambda a: a**3, (-0.3,)),
    ("power_of-minus-1", expr_ops.power_of(-1.0, "−1"), lambda a: a**-1, (-0.3,)),
    ("power_of-half", expr_ops.power_of(0.5, "0.5"), lambda a: a**0.5, (0.3,)),
    ("constant_power-2", expr_ops.constant_power(2.0, "2"), lambda a: 2**a, (0.3,)),
    ("constant_power-e", expr_ops.constant_power(math.e, "e"), math.exp, (0.3,)),
]


@pytest.mark.parametrize("op, f, point", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_value_vjp_jvp_and_jacobian_against_central_differences(op, f, point):
    args = [np.array(v) for v in point]
    out = np.asarray(op.forward(*args))
    assert out.shape == ()
    assert float(out) == pytest.approx(f(*point), rel=1e-14, abs=1e-300)
    for i in range(op.arity):
        slope = central(f, point, i)
        g, t = 0.7, -1.9
        assert float(op.vjp[i](np.array(g), out, *args)) == pytest.approx(g * slope, rel=1e-6, abs=1e-9)
        assert float(op.jvp[i](np.array(t), out, *args)) == pytest.approx(slope * t, rel=1e-6, abs=1e-9)
        J = op.jacobian[i](out, *args)
        assert J.shape == (1, 1)
        assert float(J[0, 0]) == pytest.approx(slope, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(
    "op, point, value, slope",
    [
        (ops.FUNCTIONS["log"], (-1.0,), "nan", -1.0),  # log of a negative number
        (ops.FUNCTIONS["log"], (0.0,), -math.inf, math.inf),
        (ops.FUNCTIONS["sqrt"], (0.0,), 0.0, math.inf),  # finite value, infinite slope
        (expr_ops.constant_over(1.0, "1"), (0.0,), math.inf, -math.inf),
        (expr_ops.power_of(0.5, "0.5"), (-4.0,), "nan", "nan"),
    ],
)
def test_domain_problems_give_inf_or_nan_without_warnings(op, point, value, slope, recwarn):
    args = [np.array(v) for v in point]
    out = op.forward(*args)
    partial = float(op.jacobian[0](np.asarray(out), *args)[0, 0])
    for got, expected in ((float(out), value), (partial, slope)):
        if expected == "nan":
            assert math.isnan(got)
        else:
            assert got == expected
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_flat_places_have_slope_zero_not_nan():
    # x⁰ is 1 everywhere and 0ʸ is 0 for y > 0: their slopes are 0 even where 0·∞ would appear
    zero = np.array(0.0)
    assert float(ops.power.vjp[0](np.array(1.0), np.array(1.0), zero, zero)) == 0.0
    assert float(ops.power.vjp[1](np.array(1.0), np.array(0.0), zero, np.array(2.0))) == 0.0
    assert float(expr_ops.power_of(0.0, "0").vjp[0](np.array(1.0), np.array(1.0), zero)) == 0.0


@pytest.mark.parametrize("exponent", [1.0, 0.5, 3.0])
def test_zero_to_a_node_is_flat_for_a_constant_base_and_a_node_base_alike(exponent):
    # 0ᵇ = 0 for every b > 0, so ∂0ᵇ/∂b is 0 (central differences agree), not log(0)·0 = nan
    zero, b = np.array(0.0), np.array(exponent)
    out = np.power(zero, b)
    assert float(out) == 0.0
    slope = central(lambda a, e: a**e, (0.0, exponent), 1)
    assert slope == 0.0
    node_base = float(ops.power.vjp[1](np.array(1.0), out, zero, b))
    constant_base = float(expr_ops.constant_power(0.0, "0").vjp[0](np.array(1.0), out, b))
    assert node_base == constant_base == slope
    assert float(expr_ops.constant_power(0.0, "0").jacobian[0](out, b)[0, 0]) == 0.0


def test_the_exponent_slope_agrees_off_zero_and_at_zero_to_the_zero():
    # both forms: log(a)·aᵇ for a > 0; at 0⁰ = 1 the slope in b is −∞ on both
    for a, b in [(2.0, 0.3), (0.5, -1.2)]:
        out = np.power(a, b)
        node_base = float(ops.power.vjp[1](np.array(1.0), out, np.array(a), np.array(b)))
        constant_base = float(expr_ops.constant_power(a, str(a)).vjp[0](np.array(1.0), out, np.array(b)))
        assert node_base == pytest.approx(constant_base, rel=1e-15)
        assert node_base == pytest.approx(central(lambda e, a=a: a**e, (b,), 0), rel=1e-7)
    out = np.array(1.0)
    with np.errstate(all="raise"):  # and quietly
        assert float(ops.power.vjp[1](np.array(1.0), out, np.array(0.0), np.array(0.0))) == -math.inf
        assert float(expr_ops.constant_power(0.0, "0").vjp[0](np.array(1.0), out, np.array(0.0))) == -math.inf


@pytest.mark.parametrize(
    "op, formula, derivative",
    [
        (ops.FUNCTIONS["exp"], "z = exp(x)", "exp(x) = z"),
        (ops.FUNCTIONS["sin"], "z = sin(x)", "cos(x)"),
        (ops.FUNCTIONS["sigmoid"], "z = σ(x)", "z(1 − z)"),
        (ops.neg, "z = −x", "−1"),
        (expr_ops.scale(6.0, "6"), "z = 6·x", "6"),
        (expr_ops.add_constant(1.0, "1", left=True), "z = 1 + x", "1"),
        (expr_ops.subtract_constant(2.0, "2"), "z = x − 2", "1"),
        (expr_ops.divide_by(4.0, "4"), "z = x/4", "1/4"),
        (expr_ops.constant_over(6.0, "6"), "z = 6/x", "−6/x²"),
        (expr_ops.power_of(2.0, "2"), "z = x²", "2x"),
        (expr_ops.power_of(3.0, "3"), "z = x³", "3x²"),
        (expr_ops.power_of(-1.0, "−1"), "z = x⁻¹", "−x⁻²"),
        (expr_ops.power_of(0.5, "0.5"), "z = x^0.5", "0.5·x^(−0.5)"),
        (expr_ops.constant_power(2.0, "2"), "z = 2^x", "log(2)·z"),
        (expr_ops.constant_power(-8.0, "−8"), "z = (−8)^x", "log(−8)·z"),
    ],
)
def test_formula_and_derivative_texts(op, formula, derivative):
    assert op.formula_text("z", ["x"]) == formula
    assert op.derivative_text(0, "z", ["x"], [()]) == derivative


def test_binary_texts():
    assert ops.div.formula_text("z", ["a", "b"]) == "z = a/b"
    assert [ops.div.derivative_text(i, "z", ["a", "b"], [(), ()]) for i in range(2)] == ["1/b", "−a/b²"]
    assert [ops.power.derivative_text(i, "z", ["a", "b"], [(), ()]) for i in range(2)] == ["b·a^(b−1)", "log(a)·z"]
