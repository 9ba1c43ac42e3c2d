{#-
    Agreement of two observations of the same series, used by mart_indicator_series
    (n_sources_agreeing) and mart_source_conflicts.

    Each observation is compared through its comparison bounds (int_observations__joined):
    compare_low / compare_high = value_low / value_high for a range, the value itself
    otherwise. Two observations agree when both bounds are within the tolerance
    var('agreement_tolerance') (10^-6: figures are compared as stated) of the larger
    magnitude:
        |x - y| <= tolerance * max(|x|, |y|)
    so two points compare their values and two ranges compare both ends. NULL agrees
    with NULL only. The result is never NULL.
-#}
{% macro within_tolerance(x, y) -%}
    coalesce(
        ({{ x }} is null and {{ y }} is null)
        or abs({{ x }} - {{ y }}) <= {{ var('agreement_tolerance') }} * greatest(abs({{ x }}), abs({{ y }})),
        false
    )
{%- endmacro %}

{% macro values_agree(a, b) -%}
    ({{ within_tolerance(a ~ '.compare_low', b ~ '.compare_low') }}
     and {{ within_tolerance(a ~ '.compare_high', b ~ '.compare_high') }})
{%- endmacro %}

{#- Relative difference of one bound: |x - y| / max(|x|, |y|), NULL when both are 0. -#}
{% macro relative_difference(x, y) -%}
    abs({{ x }} - {{ y }}) / nullif(greatest(abs({{ x }}), abs({{ y }})), 0)
{%- endmacro %}
