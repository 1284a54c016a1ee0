@loop.get_task_factory @since:3.4.4
Feature: loop.get_task_factory()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.get_task_factory

  Background:
    Given a new event loop

  Rule: "Return a task factory or None if the default one is in use."

    Example: a new loop uses the default factory
      When loop.get_task_factory() is called
      Then it returns None

    Example: the factory that was set is returned
      Given callback F makes an asyncio.Task of the coroutine it is given
      And callback F is the loop's task factory
      When loop.get_task_factory() is called
      Then it returns callback F

    Example: after None the default one is in use again
      Given callback F makes an asyncio.Task of the coroutine it is given
      And callback F is the loop's task factory
      And the loop's task factory is set to None
      When loop.get_task_factory() is called
      Then it returns None
